import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import type { TurnAction, TurnSettings } from '../../src/pipeline/turnEvents.ts';

/** Turn settings for the machine's tests: the minInterruptionMs rule alone, no VAD prefix padding. */
export const turnSettings = {
  endpointingDelayMs: 300,
  minInterruptionMs: 300,
  minInterruptionWords: 0,
  falseInterruptionTimeoutMs: 1500,
  vadHangoverMs: 250,
  vadPrefixMs: 0,
  // the minInterruptionMs rule alone; the longer default for speech over audible replies is tested on its own
  backchannelMaxMs: 300,
};

export const actionTypes = (actions: TurnAction[]) =>
  actions.map((a) => (a.type === 'state' ? `state:${a.state}` : a.type));

/** A machine whose agent is speaking a reply since t=0, its audio since `audioAtMs`. */
export function speakingMachine(overrides: Partial<TurnSettings> = {}, audioAtMs = 100) {
  const m = new TurnStateMachine({ ...turnSettings, ...overrides });
  m.handle({ type: 'agent_turn_started', atMs: 0 });
  m.handle({ type: 'agent_audio_started', atMs: audioAtMs });
  return m;
}
