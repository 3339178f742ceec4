import type { VadEvent, VadStream } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { CallerInput } from '../../src/pipeline/CallerInput.ts';
import type { DownstreamFrame } from '../../src/pipeline/frames.ts';
import { FakeClock, LevelVad, ScriptedStt } from './doubles.ts';
import { feedFrames, runFrames } from './runFrames.ts';

/** `ms` of caller audio in 20 ms frames, loud (speech to LevelVad) or silent. */
function audio(ms: number, speech: boolean, fromMs = 0): DownstreamFrame[] {
  return Array.from({ length: ms / 20 }, (_, i) => ({
    kind: 'caller_audio' as const,
    pcm: new Int16Array(320).fill(speech ? 4000 : 0),
    atMs: 1000 + fromMs + i * 20,
  }));
}

function callerInput() {
  const vad = new LevelVad(200);
  const stt = new ScriptedStt();
  const errors: string[] = [];
  const processor = new CallerInput({
    vad: vad.createStream(),
    stt: stt.createStream(),
    prefixPaddingMs: 200,
    clock: new FakeClock(),
    onError: (stage, error) => errors.push(`${stage}: ${(error as Error).message}`),
  });
  return { processor, vad, stt, errors };
}

/** A CallerInput over `vad` and `stt`'s stream that ignores stage failures. */
function inputOf(vad: VadStream, stt: ScriptedStt) {
  return new CallerInput({
    vad,
    stt: stt.createStream(),
    prefixPaddingMs: 200,
    clock: new FakeClock(),
    onError: () => {},
  });
}

describe('CallerInput (frames in, frames out)', () => {
  it("marks processed audio with the VAD's speech onset that it has not confirmed as speech yet", async () => {
    let onset = false;
    const vad = {
      push: () => [],
      speaking: false,
      probability: 0,
      reset() {},
      close() {},
      get onset() {
        return onset;
      },
    };
    const stt = new ScriptedStt();
    const processor = inputOf(vad, stt);
    const marks = async () => {
      const out = await runFrames(processor, audio(20, true));
      return out.down.flatMap((f) => (f.kind === 'caller_audio_processed' ? [f.speechOnset] : []));
    };
    expect(await marks()).toEqual([false]);
    onset = true;
    expect(await marks()).toEqual([true]);
  });

  it("marks processed audio in speech with where the VAD hears the caller's own voice in it", async () => {
    const vad = {
      push: (): VadEvent[] => (vad.speaking ? [] : [{ type: 'speech_start', atMs: 0 }]),
      speaking: false,
      probability: 0,
      foregroundStartMs: 300,
      foregroundEndMs: 700,
      reset() {},
      close() {},
    };
    const processor = new CallerInput({
      vad,
      stt: new ScriptedStt().createStream(),
      prefixPaddingMs: 200,
      clock: new FakeClock(),
      onError: () => {},
    });
    const marks = async () => {
      const out = await runFrames(processor, audio(20, true));
      vad.speaking = true;
      return out.down.flatMap((f) =>
        f.kind === 'caller_audio_processed' ? [[f.foregroundStartMs, f.foregroundEndMs]] : [],
      );
    };
    expect(await marks()).toEqual([[300, 700]]);
    // a replacement VAD counts from where it took over
    processor.replaceVad(vad);
    expect(await marks()).toEqual([[320, 720]]);
  });

  it('turns caller audio into speech start/stop, transcriptions and processed-audio marks; only speech reaches the recogniser', async () => {
    const { processor, stt } = callerInput();
    stt.utterances.push('two large pizzas');
    const out = await runFrames(processor, [
      ...audio(400, false),
      ...audio(1000, true, 400),
      ...audio(400, false, 1400),
    ]);
    const events = out.down.filter((f) => f.kind !== 'caller_audio_processed');
    expect(events).toEqual([
      { kind: 'user_started_speaking', atMs: 1400, streamMs: 400 },
      expect.objectContaining({ kind: 'transcription', text: 'two', final: false }),
      expect.objectContaining({ kind: 'transcription', text: 'two large', final: false }),
      expect.objectContaining({ kind: 'transcription', text: 'two large pizzas', final: false }),
      { kind: 'user_stopped_speaking', atMs: 2400, streamMs: 1400 },
      expect.objectContaining({ kind: 'transcription', text: 'two large pizzas', final: true }),
    ]);
    // one mark per audio frame, at the stream position after it
    const marks = out.down.filter((f) => f.kind === 'caller_audio_processed');
    expect(marks).toHaveLength(90);
    expect(marks.at(-1)).toEqual({ kind: 'caller_audio_processed', streamMs: 1800, speechOnset: false });
    // from the VAD's speech start to its speech end (200 ms of trailing silence); not the leading silence
    expect(stt.audioSamples).toBe((1000 + 200) * 16);
    expect(out.down.some((f) => f.kind === 'caller_audio')).toBe(false);
  });

  it("ends the caller's speech when turn-taking asks (a room held it open): the VAD's end, then the final", async () => {
    let speaking = false;
    /** Starts speech on the first audio; ends it only when asked, as a room held open. */
    const toggle = (to: boolean, event: VadEvent): VadEvent[] => {
      if (speaking === to) return [];
      speaking = to;
      return [event];
    };
    const vad = {
      push: () => toggle(true, { type: 'speech_start', atMs: 0 }),
      endSpeech: () => toggle(false, { type: 'speech_end', atMs: 560, durationMs: 560 }),
      get speaking() {
        return speaking;
      },
      probability: 0,
      reset() {},
      close() {},
    };
    const stt = new ScriptedStt();
    stt.utterances.push("that's all");
    const processor = inputOf(vad, stt);
    const out = await runFrames(processor, [...audio(600, true), { kind: 'end_caller_speech' }]);
    const events = out.down.filter((f) => f.kind !== 'caller_audio_processed' && f.kind !== 'transcription');
    expect(events).toEqual([
      expect.objectContaining({ kind: 'user_started_speaking', streamMs: 0 }),
      expect.objectContaining({ kind: 'user_stopped_speaking', streamMs: 560 }),
    ]);
    expect(out.down.at(-1)).toEqual(
      expect.objectContaining({ kind: 'transcription', text: "that's all", final: true }),
    );
    // the speech over, a second ask ends nothing, and nothing goes upstream of the head
    await feedFrames(processor, [{ kind: 'end_caller_speech' }]);
    expect(out.down.filter((f) => f.kind === 'user_stopped_speaking')).toHaveLength(1);
    expect(out.up).toEqual([]);
  });

  it("tells the recogniser while the agent's voice has reached the caller, paused for them or not: a final of speech begun then carries its over-agent judgement", async () => {
    const { processor, stt } = callerInput();
    stt.utterances.push('no', 'no', 'no', 'no');
    stt.overAgentPhrases.set('no', 'yeah');
    const said = (fromMs: number) => [...audio(600, true, fromMs), ...audio(400, false, fromMs + 600)];
    processor.setAgentState('thinking');
    const out = await runFrames(processor, said(0));
    processor.setAgentState('speaking');
    processor.setAgentState('paused');
    await feedFrames(processor, said(1000));
    processor.setAgentState('listening');
    await feedFrames(processor, said(2000));
    // paused before its voice was heard: the caller's speech is not over it
    processor.setAgentState('thinking');
    processor.setAgentState('paused');
    await feedFrames(processor, said(3000));
    const finals = out.down.filter((f) => f.kind === 'transcription' && f.final);
    expect(finals).toEqual([
      expect.not.objectContaining({ overAgent: expect.anything() }),
      expect.objectContaining({ text: 'no', overAgent: { phrase: 'yeah', confidence: 1 } }),
      expect.not.objectContaining({ overAgent: expect.anything() }),
      expect.not.objectContaining({ overAgent: expect.anything() }),
    ]);
  });

  it('passes other frames through unchanged', async () => {
    const { processor } = callerInput();
    const out = await runFrames(processor, [{ kind: 'speak', text: 'Hi' }, { kind: 'interruption' }]);
    expect(out.down).toEqual([{ kind: 'speak', text: 'Hi' }, { kind: 'interruption' }]);
  });

  it('a recogniser that breaks is reported once and fed no more; a replacement takes the next utterance', async () => {
    const { processor, stt, errors } = callerInput();
    stt.failAtNextUtteranceEnd = new Error('decoder crashed');
    const out = await runFrames(processor, [...audio(600, true), ...audio(400, false, 600)]);
    expect(errors).toEqual(['stt: decoder crashed']);
    const fed = stt.audioSamples;
    const fallback = new ScriptedStt('fallback');
    fallback.utterances.push('garlic bread');
    processor.replaceRecogniser(fallback.createStream());
    const next = await runFrames(processor, [...audio(600, true, 1000), ...audio(400, false, 1600)]);
    expect(stt.audioSamples).toBe(fed);
    expect(next.down.filter((f) => f.kind === 'transcription' && f.final)).toEqual([
      expect.objectContaining({ text: 'garlic bread' }),
    ]);
    expect(out.down.filter((f) => f.kind === 'transcription' && f.final)).toEqual([]);
  });

  it('a VAD that breaks mid-utterance ends the utterance there and is reported; a replacement keeps stream time', async () => {
    const { processor, vad, stt, errors } = callerInput();
    stt.utterances.push('one large');
    const out = await runFrames(processor, audio(600, true));
    vad.failAtNextSpeech = new Error('session failed');
    await feedFrames(processor, audio(200, true, 600));
    expect(errors).toEqual(['vad: session failed']);
    expect(out.down.filter((f) => f.kind !== 'caller_audio_processed' && f.kind !== 'transcription')).toEqual(
      [
        { kind: 'user_started_speaking', atMs: 1000, streamMs: 0 },
        // the frame the VAD broke on is the end of the utterance
        { kind: 'user_stopped_speaking', atMs: 1620, streamMs: 620 },
      ],
    );
    expect(out.down.filter((f) => f.kind === 'transcription' && f.final)).toEqual([
      expect.objectContaining({ text: 'one large' }),
    ]);
    // nothing is detected until a VAD is put back; the new one's events are placed on the caller's stream time
    await feedFrames(processor, audio(400, true, 800));
    const before = out.down.length;
    expect(out.down.some((f) => f.kind === 'user_started_speaking' && f.streamMs > 0)).toBe(false);
    processor.replaceVad(new LevelVad(200).createStream());
    await feedFrames(processor, [...audio(200, false, 1200), ...audio(400, true, 1400)]);
    expect(out.down.slice(before).find((f) => f.kind === 'user_started_speaking')).toEqual({
      kind: 'user_started_speaking',
      atMs: 2400,
      streamMs: 1400,
    });
  });
});
