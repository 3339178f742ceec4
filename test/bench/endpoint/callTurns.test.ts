import { describe, expect, it } from 'vitest';
import { type FrameScorer, FrameVadStream } from '../../../agent-worker/src/stages/vad/FrameVadStream.ts';
import { LevelVad, ScriptedStt } from '../../../agent-worker/test/pipeline/doubles.ts';
import { concat, silence } from '../../../agent-worker/test/stages/fixtures/speech.ts';
import { AFTER_LINE_MS, CallTurns, type LineAudio } from '../../../bench/endpoint/CallTurns.ts';

const settings = {
  endpointingDelayMs: 300,
  minEndpointingDelayMs: 200,
  maxEndpointingDelayMs: 1000,
  minInterruptionMs: 300,
  minInterruptionWords: 0,
  falseInterruptionTimeoutMs: 1500,
  vadHangoverMs: 200,
  vadPrefixMs: 0,
};

/** Speech (the level VAD's 4000) for each piece's ms, with the pauses between them in silence. */
function line(piecesMs: readonly number[], pausesMs: readonly number[]): LineAudio {
  const spans: { startMs: number; endMs: number }[] = [];
  let at = 0;
  for (const [i, ms] of piecesMs.entries()) {
    spans.push({ startMs: at, endMs: at + ms });
    at += ms + (pausesMs[i] ?? 0);
  }
  const pcm = new Int16Array(at * 16);
  for (const s of spans) pcm.fill(4000, s.startMs * 16, s.endMs * 16);
  return { pcm, piecesMs: spans };
}

function call(...heard: string[]): CallTurns {
  const stt = new ScriptedStt();
  stt.utterances.push(...heard);
  return new CallTurns(new LevelVad(200).createStream(), stt.createStream(), settings, 90);
}

describe('the end of turn of a caller line, offline', () => {
  it('ends the turn in the pause after a piece that sounds finished, and says which pause', async () => {
    const turns = await call('two cokes', 'and a salad').play(line([600, 500], [700]), 'order');
    expect(turns.finals.map((f) => f.text)).toEqual(['two cokes', 'and a salad']);
    expect(turns.ends[0]).toMatchObject({ text: 'two cokes', judged: 'unknown', inPause: 0 });
    expect(turns.ends[0]?.afterSpeechMs).toBeLessThan(0);
    expect(turns.ends[1]?.text).toBe('and a salad');
  });

  it('keeps one turn over the pause after an unfinished piece, ended after the speech', async () => {
    const turns = await call('two cokes and', 'a salad').play(line([600, 500], [700]), 'order');
    expect(turns.ends).toHaveLength(1);
    expect(turns.ends[0]).toMatchObject({ text: 'two cokes and, a salad' });
    // the VAD's 200 ms, the final's 90 ms after it and the 300 ms delay from the speech's end
    expect(turns.ends[0]?.afterSpeechMs).toBeGreaterThanOrEqual(300);
    expect(turns.ends[0]?.afterSpeechMs).toBeLessThan(400);
    // where that time went: the VAD ended the speech with it, its final came the hangover and the decode later (on
    // the next 20 ms frame)
    expect(turns.ends[0]).toMatchObject({ vadEndAfterSpeechMs: 0, finalAfterSpeechMs: 300 });
  });

  it('judges the answer against what the agent asked for', async () => {
    const turns = await call('my name is maria lopez').play(line([900], []), 'name');
    expect(turns.ends[0]).toMatchObject({ judged: 'incomplete' });
    expect(turns.ends[0]?.afterSpeechMs).toBeGreaterThanOrEqual(1000);
  });

  it("adds no silence after a line whose audio already holds the room's noise after it", async () => {
    const stt = new ScriptedStt();
    stt.utterances.push('two cokes please');
    const vad = new LevelVad(200).createStream();
    let fedMs = 0;
    const push = vad.push.bind(vad);
    vad.push = (pcm) => {
      fedMs += pcm.length / 16;
      return push(pcm);
    };
    const spoken = line([600], []);
    const withRoom = new Int16Array(spoken.pcm.length + AFTER_LINE_MS * 16);
    withRoom.set(spoken.pcm);
    withRoom.fill(100, spoken.pcm.length);
    const turns = await new CallTurns(vad, stt.createStream(), settings, 90).play(
      { ...spoken, pcm: withRoom, roomAfterMs: AFTER_LINE_MS },
      'order',
    );
    expect(fedMs).toBe(600 + AFTER_LINE_MS);
    expect(turns.ends.map((e) => e.text)).toEqual(['two cokes please']);
  });

  it('hears the greeting before the first line on the same stream clock, without ending a turn in it', async () => {
    const greeted = call('two cokes please');
    greeted.hearGreeting(new Int16Array(2000 * 16).fill(100));
    const afterGreeting = await greeted.play(line([600], []), 'order');
    const first = await call('two cokes please').play(line([600], []), 'order');
    expect(afterGreeting.ends.map((e) => e.text)).toEqual(['two cokes please']);
    expect(afterGreeting.ends[0]?.afterSpeechMs).toBe(first.ends[0]?.afterSpeechMs);
  });
});

/**
 * The end of turn of a line a room's voices pad (bench:robustness's pads: the room before and after the caller, who
 * is 18 dB louder), frames through the agent's FrameVadStream and the real TurnStateMachine.
 */
const TIMING = { threshold: 0.5, minSpeechMs: 120, minSilenceMs: 200, prefixPaddingMs: 0 };
const ROOM = 1000;
const CALLER = 8000;

/** A speech model that takes every sound for speech (as Silero takes a room's voices). */
const hearsAllAsSpeech: FrameScorer = {
  frameSamples: 512,
  score: (frame) => (frame.some((s) => s !== 0) ? 0.9 : 0),
  reset: () => {},
  close: () => {},
};

/** A 16 kHz tone of `ms` at `amplitude`, standing for a voice at that level. */
const voice = (ms: number, amplitude: number) =>
  Int16Array.from({ length: ms * 16 }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / 16_000)),
  );

/**
 * Silence, then the sounds `spec` says in order ("room 320, caller 416": the room's voices at ROOM, the caller's at
 * CALLER; the caller's are the line's pieces).
 */
function roomLine(spec: string): LineAudio {
  const piecesMs: { startMs: number; endMs: number }[] = [];
  const sounds: Int16Array[] = [silence(1024)];
  let at = 1024;
  for (const part of spec.split(', ')) {
    const [who, ms] = part.split(' ') as [string, string];
    if (who === 'caller') piecesMs.push({ startMs: at, endMs: at + Number(ms) });
    sounds.push(voice(Number(ms), who === 'caller' ? CALLER : ROOM));
    at += Number(ms);
  }
  return { pcm: concat(...sounds), piecesMs };
}

async function playInRoom(audio: LineAudio, ...heard: string[]) {
  const stt = new ScriptedStt();
  stt.utterances.push(...heard);
  const vad = new FrameVadStream(hearsAllAsSpeech, TIMING);
  return new CallTurns(vad, stt.createStream(), settings, 90).play(audio, 'order');
}

/** As playInRoom, with the partials the recogniser gives after the caller's voice ended (`partials`, in order). */
async function playWithPartials(audio: LineAudio, partials: readonly string[], ...heard: string[]) {
  const stt = new ScriptedStt();
  stt.utterances.push(...heard);
  const peek = new ScriptedStt();
  peek.utterances.push(...partials);
  const vad = new FrameVadStream(hearsAllAsSpeech, TIMING);
  return new CallTurns(vad, stt.createStream(), settings, 90, peek.createStream()).play(audio, 'order');
}

describe("the end of turn after the caller's voice, in a room's voices", () => {
  it("waits for an unfinished sentence from the caller's own voice, not from the end of the room's tail", async () => {
    const padded = await playInRoom(roomLine('room 320, caller 416, room 320'), 'two cokes and');
    // the caller's soft tail allowance (150) and the longest wait (1000), on the next 20 ms frame; the room's tail
    // would have added its 320
    expect(padded.ends.map((e) => e.afterSpeechMs)).toEqual([1160]);
    expect(padded.ends[0]?.vadEndAfterSpeechMs).toBe(320);
  });

  it("keeps a caller's pause the room's voices fill inside the turn: the line is one turn, not cut", async () => {
    const paused = await playInRoom(
      roomLine('room 320, caller 416, room 704, caller 416, room 320'),
      'two cokes and a salad',
    );
    expect(paused.ends).toHaveLength(1);
    expect(paused.ends[0]?.afterSpeechMs).toBeGreaterThan(0);
  });

  it("waits from the speech's end when the caller's quieter words went on long after the rise", async () => {
    // a soft start, the voice 18 dB over it, then 640 ms of the caller's quieter words at the soft start's level
    const quiet = await playInRoom(roomLine('room 96, caller 416, room 640'), 'two cokes and');
    expect(quiet.ends[0]?.vadEndAfterSpeechMs).toBe(640);
    expect(quiet.ends[0]?.afterSpeechMs).toBeGreaterThanOrEqual(640 + 1000);
  });

  it("ends a complete answer at the caller's voice, not after the room's tail", async () => {
    const room = roomLine('room 320, caller 416, room 448');
    const held = await playInRoom(room, "that's all thanks");
    const ended = await playWithPartials(room, ["that's all thanks"], "that's all thanks");
    expect(held.ends[0]?.vadEndAfterSpeechMs).toBe(448);
    // the soft tail's 150 and the hangover's 200 past the voice (on Silero's 32 ms frames), then the decode's 90
    expect(ended.ends.map((e) => e.text)).toEqual(["that's all thanks"]);
    expect(ended.ends[0]?.afterSpeechMs).toBeLessThan(500);
    expect(ended.ends[0]?.afterSpeechMs).toBeLessThan((held.ends[0]?.afterSpeechMs ?? 0) - 250);
  });

  it('keeps the pause the room fills after an unfinished partial inside one turn', async () => {
    const paused = await playWithPartials(
      roomLine('room 320, caller 416, room 704, caller 416, room 320'),
      ['two cokes and', 'two cokes and a salad'],
      'two cokes and a salad',
    );
    expect(paused.ends.map((e) => e.text)).toEqual(['two cokes and a salad']);
    expect(paused.ends[0]?.afterSpeechMs).toBeGreaterThan(0);
  });
});
