import { describe, expect, it } from 'vitest';
import { TurnTaker } from '../../src/pipeline/TurnTaker.ts';
import { FakeClock } from './doubles.ts';
import { feedFrames, runFrames } from './runFrames.ts';

const settings = {
  endpointingDelayMs: 300,
  minInterruptionMs: 300,
  minInterruptionWords: 0,
  falseInterruptionTimeoutMs: 1500,
  vadHangoverMs: 200,
  vadPrefixMs: 0,
  backchannelMaxMs: 300,
};

function turnTaker() {
  const states: string[] = [];
  const processor = new TurnTaker({ settings, clock: new FakeClock(), onState: (s) => states.push(s) });
  return { processor, states };
}

/** A turn taker whose agent is speaking a greeting the caller hears. */
async function speaking() {
  const { processor } = turnTaker();
  const out = await runFrames(processor, []);
  processor.speak('Hello there.');
  await feedFrames(processor, [{ kind: 'bot_started_speaking', turnId: 0, atMs: 1 }]);
  return { processor, out };
}

describe('TurnTaker (frames in, frames out)', () => {
  it("passes the caller's speech on and ends the caller turn once the endpointing delay of stream time has passed", async () => {
    const { processor, states } = turnTaker();
    const out = await runFrames(processor, [
      { kind: 'user_started_speaking', atMs: 1000, streamMs: 0 },
      { kind: 'caller_audio_processed', streamMs: 500 },
      { kind: 'user_stopped_speaking', atMs: 1600, streamMs: 600 },
      { kind: 'transcription', text: 'two pizzas', final: true, atMs: 1700, streamMs: 700 },
      { kind: 'caller_audio_processed', streamMs: 800 },
    ]);
    expect(out.down.map((f) => f.kind)).toEqual([
      'user_started_speaking',
      'user_stopped_speaking',
      'transcription',
    ]);
    // 300 ms after the end of speech (stream time 600) the turn is the caller's no more
    await feedFrames(processor, [{ kind: 'caller_audio_processed', streamMs: 1000 }]);
    expect(out.down.at(-1)).toEqual({
      kind: 'user_turn',
      text: 'two pizzas',
      speechEndAtMs: 1600,
      finalAtMs: 1700,
      atMs: 1000,
      answer: true,
    });
    expect(states).toEqual(['thinking']);
    expect(out.up).toEqual([]);
  });

  it("asks upstream to end the caller's speech once a complete answer's voice ended under the room's", async () => {
    const { processor } = turnTaker();
    const voice = { foregroundStartMs: 300, foregroundEndMs: 900 };
    const out = await runFrames(processor, [
      { kind: 'user_started_speaking', atMs: 1000, streamMs: 0 },
      { kind: 'caller_audio_processed', streamMs: 1100, ...voice },
      { kind: 'transcription', text: "that's all", final: false, atMs: 2100, streamMs: 1100 },
      // voice end 900 + its soft tail 150 + the hangover 200
      { kind: 'caller_audio_processed', streamMs: 1240, ...voice },
    ]);
    expect(out.up).toEqual([]);
    await feedFrames(processor, [{ kind: 'caller_audio_processed', streamMs: 1260, ...voice }]);
    expect(out.up).toEqual([{ kind: 'end_caller_speech' }]);
  });

  it('caller speech over the agent pauses the output at once and interrupts once it lasts long enough', async () => {
    const { processor, out } = await speaking();
    await feedFrames(processor, [{ kind: 'user_started_speaking', atMs: 1000, streamMs: 100 }]);
    expect(out.down.map((f) => f.kind)).toEqual(['speak', 'user_started_speaking', 'pause_output']);
    expect(out.up).toEqual([{ kind: 'bot_started_speaking', turnId: 0, atMs: 1 }]);
    // 300 ms of speech plus the VAD's 200 ms hangover, with words heard
    await feedFrames(processor, [
      { kind: 'transcription', text: 'can i', final: false, atMs: 1300, streamMs: 400 },
      { kind: 'caller_audio_processed', streamMs: 500 },
    ]);
    expect(out.down.map((f) => f.kind)).not.toContain('interruption');
    await feedFrames(processor, [{ kind: 'caller_audio_processed', streamMs: 700 }]);
    expect(out.down.at(-1)).toEqual({ kind: 'interruption' });
  });

  it("counts speech over the agent from where the VAD heard the caller's own voice begin", async () => {
    const { processor, out } = await speaking();
    await feedFrames(processor, [
      { kind: 'user_started_speaking', atMs: 1000, streamMs: 100 },
      { kind: 'caller_audio_processed', streamMs: 300, foregroundStartMs: 250 },
      { kind: 'transcription', text: 'can i', final: false, atMs: 1300, streamMs: 400 },
      // 500 ms from the background's start, 250 from the caller's voice (+ the VAD's hangover: 750 due)
      { kind: 'caller_audio_processed', streamMs: 700, foregroundStartMs: 250 },
    ]);
    expect(out.down.map((f) => f.kind)).not.toContain('interruption');
    await feedFrames(processor, [{ kind: 'caller_audio_processed', streamMs: 750, foregroundStartMs: 250 }]);
    expect(out.down.at(-1)).toEqual({ kind: 'interruption' });
  });

  it("judges speech over the agent by the final's other hypotheses too: a short 'okay' the room's words buried", async () => {
    const { processor, out } = await speaking();
    const voice = { foregroundStartMs: 250, foregroundEndMs: 450 };
    await feedFrames(processor, [
      { kind: 'user_started_speaking', atMs: 1000, streamMs: 100 },
      { kind: 'caller_audio_processed', streamMs: 300, ...voice },
      { kind: 'transcription', text: 'a couple', final: false, atMs: 1300, streamMs: 400 },
      { kind: 'caller_audio_processed', streamMs: 580, ...voice },
      { kind: 'user_stopped_speaking', atMs: 1600, streamMs: 600 },
      {
        kind: 'transcription',
        text: 'a coke please',
        final: true,
        atMs: 1700,
        streamMs: 700,
        alternatives: ['a couple of cheese court', 'okay'],
      },
    ]);
    expect(out.down.map((f) => f.kind)).not.toContain('interruption');
    expect(out.down.at(-1)).toEqual({ kind: 'resume_output' });
  });

  it('while a human has taken over, the caller turn is recorded but not answered', async () => {
    const { processor, states } = turnTaker();
    const out = await runFrames(processor, []);
    processor.setAnswering(false);
    await feedFrames(processor, [
      { kind: 'user_started_speaking', atMs: 1000, streamMs: 0 },
      { kind: 'user_stopped_speaking', atMs: 1400, streamMs: 400 },
      { kind: 'transcription', text: 'hello', final: true, atMs: 1500, streamMs: 500 },
      { kind: 'caller_audio_processed', streamMs: 800 },
    ]);
    expect(out.down[0]).toEqual({ kind: 'interruption' });
    expect(out.down.at(-1)).toMatchObject({ kind: 'user_turn', text: 'hello', answer: false });
    expect(states).not.toContain('thinking');
  });
});
