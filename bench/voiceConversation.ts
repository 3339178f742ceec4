/**
 * The voice benchmark's conversation, independent of how the caller is connected: it says each planned turn over
 * the caller's microphone, waits for the agent as bench:voice does (an answer, the end of it, barge-ins and sounds
 * only over audible agent speech), and scores what the caller heard with voiceTurns.ts. bench:voice drives it with
 * a Chromium page on the mediasoup path, bench:livekit with that and with an rtc-node participant in a LiveKit room.
 */
import path from 'node:path';
import type { AgentState, TranscriptEvent } from '@voiceroom/protocol';
import { pollUntil } from '../test/helpers/browser.ts';
import type { PlannedTurn } from './voicePlan.ts';
import { type AudioSample, synthesizeCallerSpeech, toCallerPcm, whiteNoise } from './voiceScenario.ts';
import { type ScoredTurn, scoreTurns } from './voiceTurns.ts';

/** The caller's side, on the caller's clock. */
export interface ConversationCaller {
  now(): Promise<number>;
  /** True once the agent has been audible at the caller since `t`. */
  audibleSince(t: number): Promise<boolean>;
  /** Says 48 kHz mono PCM in real time; when its first and last samples were played. */
  say(pcm48k: Int16Array): Promise<{ startT: number; endT: number }>;
  /** What the caller heard of the agent so far. */
  samples(): Promise<AudioSample[]>;
}

/** The agent's side of this call, its events timed on the caller's clock. */
export interface ConversationAgent {
  states(): ReadonlyArray<{ state: AgentState; t: number }>;
  customerFinals(): readonly TranscriptEvent[];
}

const NOISE_MS = 150;

/** What the caller says for each planned turn: 48 kHz mono; `speechDir` holds the real recordings. */
export async function conversationSpeech(
  plan: readonly PlannedTurn[],
  dir: string,
  speechDir: string,
): Promise<Int16Array[]> {
  const pcm: Int16Array[] = [];
  for (const [index, turn] of plan.entries()) {
    if (turn.kind === 'noise') pcm.push(whiteNoise(NOISE_MS));
    else if (turn.voice.engine === 'real')
      pcm.push(await toCallerPcm(path.join(speechDir, turn.voice.name), dir, index));
    else pcm.push(await synthesizeCallerSpeech(turn.text, dir, index, turn.voice));
  }
  return pcm;
}

/** A barge-in or noise burst starts at least this long after the agent began its long answer. */
const BARGE_AFTER_MS = 1_200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ConversationOptions {
  plan: readonly PlannedTurn[];
  pcm: readonly Int16Array[];
  caller: ConversationCaller;
  agent: ConversationAgent;
  log(msg: string, extra?: Record<string, unknown>): void;
}

export async function runConversation(options: ConversationOptions): Promise<ScoredTurn[]> {
  const { plan, pcm, caller, agent, log } = options;
  const waitFor = <T>(
    read: () => T | Promise<T>,
    accept: (v: T) => boolean,
    what: string,
    timeoutMs = 30_000,
  ) => pollUntil(async () => read(), accept, { timeoutMs, intervalMs: 20, what });
  const tryWaitFor = <T>(
    read: () => T | Promise<T>,
    accept: (v: T) => boolean,
    what: string,
    timeoutMs: number,
  ) => waitFor(read, accept, what, timeoutMs).catch(() => undefined);
  /** Caller times of the agent starting a new reply (thinking -> speaking; a resumed reply comes from paused). */
  const replyStarts = () =>
    agent
      .states()
      .flatMap((s, i, all) => (s.state === 'speaking' && all[i - 1]?.state === 'thinking' ? [s.t] : []));
  const lastState = () => agent.states().at(-1)?.state;
  const said: Array<{ startT: number; endT: number; heard: string }> = [];
  for (const [i, turn] of plan.entries()) {
    const finalsBefore = agent.customerFinals().length;
    const repliesBefore = replyStarts().length;
    if (turn.kind === 'barge_in' || turn.kind === 'noise' || turn.kind === 'um') {
      await sleep(BARGE_AFTER_MS);
      // over audible speech: the barge-in is then scored on whether it stopped that speech
      const since = (await caller.now()) - 60;
      await tryWaitFor(() => caller.audibleSince(since), Boolean, 'the agent audible', 3_000);
    }
    const span = await caller.say(pcm[i] as Int16Array);
    if (turn.kind !== 'noise' && turn.kind !== 'um') {
      const answered = await tryWaitFor(
        () => replyStarts().length,
        (n) => n > repliesBefore,
        `an answer to "${turn.text}"`,
        turn.kind === 'real' ? 10_000 : 30_000,
      );
      if (answered === undefined && turn.kind !== 'real') throw new Error(`no answer to "${turn.text}"`);
    }
    // the next turn starts from a listening agent, except a barge-in or a sound over this long answer
    if (turn.kind !== 'long_answer')
      await tryWaitFor(
        lastState,
        (s) => s === 'listening',
        `the end of the answer to "${turn.text}"`,
        30_000,
      );
    // a long recording is several utterances to the agent: let all of them be heard and answered
    if (turn.kind === 'real') {
      for (
        let quiet = 0, rounds = 0, seen = agent.customerFinals().length;
        quiet < 4 && rounds < 60;
        quiet++, rounds++
      ) {
        await sleep(500);
        if (agent.customerFinals().length !== seen || lastState() !== 'listening') {
          seen = agent.customerFinals().length;
          quiet = -1;
          await tryWaitFor(lastState, (s) => s === 'listening', 'the agent to finish', 30_000);
        }
      }
    }
    const heard = agent
      .customerFinals()
      .slice(finalsBefore)
      .map((t) => t.text)
      .join(' ');
    said.push({ ...span, heard });
    log('turn', { turn: i + 1, of: plan.length, kind: turn.kind, text: turn.text, heard });
  }
  await sleep(500);
  return scoreTurns(plan, said, await caller.samples(), replyStarts());
}
