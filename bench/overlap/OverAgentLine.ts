/**
 * One caller line said over the agent's reply, through the agent's own caller input (real VAD and recogniser stream)
 * and turn-taking (TurnTaker and its TurnStateMachine), fed in real time: what the VAD and the recogniser made of it
 * and what the agent did (talked on, paused and resumed, or was interrupted, and when).
 */
import type { OverAgentReading, SttExpectation, SttStream, VadStream } from '@voiceroom/agent-core/stages';
import { CallerInput } from '../../agent-worker/src/pipeline/CallerInput.ts';
import { systemClock } from '../../agent-worker/src/pipeline/clock.ts';
import { FrameProcessor } from '../../agent-worker/src/pipeline/FrameProcessor.ts';
import type { DownstreamFrame } from '../../agent-worker/src/pipeline/frames.ts';
import { judgeOverAgent } from '../../agent-worker/src/pipeline/overlap.ts';
import { TurnTaker } from '../../agent-worker/src/pipeline/TurnTaker.ts';
import type { TurnSettings } from '../../agent-worker/src/pipeline/turnEvents.ts';

const FRAME = 320;
const FRAME_MS = 20;
/** Caller audio after the line: long enough for the final, the resume deadline and a committed turn. */
const TAIL_MS = 1_800;
/**
 * At most this much more silence while the recogniser still owes a final for the line (it lags most under load):
 * the next line starts only once this one is transcribed, or its late words would be taken for the next line's.
 */
const CATCH_UP_MS = 10_000;

export type Verdict = 'talked_on' | 'resumed' | 'interrupted' | 'paused_not_resumed';

export interface HeardLine {
  verdict: Verdict;
  /** Line start (the speech in the audio) -> the agent's output paused / the turn interrupted, stream ms. */
  pausedAfterMs?: number;
  interruptedAfterMs?: number;
  /** The VAD's speech segments, ms from the line's speech start. */
  speech: { startMs: number; endMs: number }[];
  partials: { text: string; afterMs: number }[];
  /** `overAgent`: what the recogniser's over-agent grammar heard (SttEvent's), `overlap` the machine's verdict. */
  finals: {
    text: string;
    confidence?: number;
    alternatives?: string[];
    overAgent?: OverAgentReading;
    overlap: string;
    afterMs: number;
  }[];
  /** A caller turn the agent would answer, and its text. */
  committed?: string;
  /** Where the VAD found the caller's own voice in speech the room's voices started, as it changed (ms from line start). */
  callerVoice: { afterMs: number; startMs?: number; endMs?: number }[];
}

/** Passes every frame on to turn-taking and notes where the VAD places the caller's own voice in speech. */
class VoiceTap extends FrameProcessor {
  readonly voice: { streamMs: number; startMs?: number; endMs?: number }[] = [];

  processDown(frame: DownstreamFrame): void {
    if (frame.kind === 'caller_audio_processed') {
      const last = this.voice.at(-1);
      const { foregroundStartMs: startMs, foregroundEndMs: endMs } = frame;
      if (last?.startMs !== startMs || last?.endMs !== endMs)
        this.voice.push({ streamMs: frame.streamMs, startMs, endMs });
    }
    this.pushDown(frame);
  }
}

/** Counts the speech the VAD ended and the finals the recogniser gave: whether it still owes one. */
class RecogniserLag extends FrameProcessor {
  #ended = 0;
  #finals = 0;

  get owesFinal(): boolean {
    return this.#finals < this.#ended;
  }

  processDown(frame: DownstreamFrame): void {
    if (frame.kind === 'user_stopped_speaking') this.#ended++;
    else if (frame.kind === 'transcription' && frame.final) this.#finals++;
    this.pushDown(frame);
  }
}

/** Receives what turn-taking sends down and plays the agent's side: speaking, then ended. */
class AgentSide extends FrameProcessor {
  readonly frames: { frame: DownstreamFrame; streamMs: number }[] = [];
  readonly #streamMs: () => number;

  /** `streamMs`: how far the caller's audio has been fed (turn-taking decides as each frame is processed). */
  constructor(streamMs: () => number) {
    super();
    this.#streamMs = streamMs;
  }

  processDown(frame: DownstreamFrame): void {
    this.frames.push({ frame, streamMs: this.#streamMs() });
  }

  startedSpeaking(): void {
    this.pushUp({ kind: 'bot_started_speaking', turnId: 1, atMs: systemClock.now() });
  }

  ended(interrupted: boolean): void {
    this.pushUp({ kind: 'bot_turn_ended', turnId: 1, heardText: '', interrupted, atMs: systemClock.now() });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * One caller's input (a call): a VAD stream and a recogniser stream that adapt to the caller over its lines, as in
 * a call. `say` plays a line into it while the agent speaks a reply that asks for `expecting`.
 */
export class OverAgentCaller {
  readonly #input: CallerInput;
  readonly #settings: TurnSettings;
  readonly #lag = new RecogniserLag();
  #streamMs = 0;

  constructor(vad: VadStream, stt: SttStream, prefixPaddingMs: number, settings: TurnSettings) {
    this.#settings = settings;
    this.#input = new CallerInput({
      vad,
      stt,
      prefixPaddingMs,
      clock: systemClock,
      onError: (stage, error) => {
        throw new Error(`${stage} failed: ${String(error)}`);
      },
    });
  }

  close(): void {
    this.#input.close();
  }

  /** A line said to the listening agent (the caller's answer before the overlap): adapts the recogniser. */
  async answer(pcm: Int16Array, expecting: SttExpectation): Promise<void> {
    this.#input.expect(expecting);
    this.#input.link(this.#lag).link(this.#turnTaker());
    await this.#play(pcm, TAIL_MS);
  }

  /** `pcm` (speech from `speechStartMs` on) said while the agent speaks a reply asking for `expecting`. */
  async sayOver(pcm: Int16Array, speechStartMs: number, expecting: SttExpectation): Promise<HeardLine> {
    const turns = this.#turnTaker();
    const agent = new AgentSide(() => this.#streamMs);
    const tap = new VoiceTap();
    this.#input.link(this.#lag).link(tap).link(turns).link(agent);
    turns.speak('a reply');
    agent.startedSpeaking();
    this.#input.expect(expecting);
    turns.expect(expecting);
    const lineStartMs = this.#streamMs + speechStartMs;
    await this.#play(pcm, TAIL_MS);
    const heard = heardLine(agent.frames, tap.voice, lineStartMs);
    agent.ended(heard.verdict === 'interrupted');
    return heard;
  }

  /** Turn-taking that tells the caller input what the agent does, as VoicePipeline's does. */
  #turnTaker(): TurnTaker {
    return new TurnTaker({
      settings: this.#settings,
      clock: systemClock,
      onState: (state) => this.#input.setAgentState(state),
    });
  }

  /**
   * Feeds `pcm` then `tailMs` of silence in 20 ms frames, paced in real time as the media path delivers them, and
   * more silence while the recogniser owes a final (up to CATCH_UP_MS).
   */
  async #play(pcm: Int16Array, tailMs: number): Promise<void> {
    const audio = new Int16Array(pcm.length + ((tailMs + CATCH_UP_MS) / 1000) * 16_000);
    audio.set(pcm);
    const played = pcm.length + (tailMs / 1000) * 16_000;
    const started = performance.now();
    for (let i = 0, n = 0; i < audio.length && (i < played || this.#lag.owesFinal); i += FRAME, n++) {
      this.#streamMs += FRAME_MS;
      this.#input.processDown({
        kind: 'caller_audio',
        pcm: audio.subarray(i, i + FRAME),
        atMs: systemClock.now(),
      });
      await sleep(started + (n + 1) * FRAME_MS - performance.now());
    }
  }
}

function heardLine(frames: AgentSide['frames'], voice: VoiceTap['voice'], lineStartMs: number): HeardLine {
  const after = (streamMs: number) => Math.round(streamMs - lineStartMs);
  const since = (streamMs: number | undefined) => (streamMs === undefined ? undefined : after(streamMs));
  const speech: HeardLine['speech'] = [];
  const partials: HeardLine['partials'] = [];
  const finals: HeardLine['finals'] = [];
  let pausedAfterMs: number | undefined;
  let interruptedAfterMs: number | undefined;
  let resumed = false;
  let committed: string | undefined;
  for (const { frame, streamMs } of frames) {
    if (frame.kind === 'user_started_speaking')
      speech.push({ startMs: after(frame.streamMs), endMs: Number.NaN });
    else if (frame.kind === 'user_stopped_speaking') {
      const open = speech.at(-1);
      if (open) open.endMs = after(frame.streamMs);
    } else if (frame.kind === 'transcription' && !frame.final)
      partials.push({ text: frame.text, afterMs: after(frame.streamMs) });
    else if (frame.kind === 'transcription')
      finals.push({
        text: frame.text,
        ...(frame.confidence !== undefined ? { confidence: Number(frame.confidence.toFixed(3)) } : {}),
        ...(frame.alternatives ? { alternatives: frame.alternatives } : {}),
        ...(frame.overAgent ? { overAgent: frame.overAgent } : {}),
        overlap: judgeOverAgent(frame.text, frame.overAgent),
        afterMs: after(frame.streamMs),
      });
    else if (frame.kind === 'pause_output') pausedAfterMs ??= after(streamMs);
    else if (frame.kind === 'resume_output') resumed = true;
    else if (frame.kind === 'interruption') interruptedAfterMs ??= after(streamMs);
    else if (frame.kind === 'user_turn') committed ??= frame.text;
  }
  const verdict: Verdict =
    interruptedAfterMs !== undefined
      ? 'interrupted'
      : pausedAfterMs === undefined
        ? 'talked_on'
        : resumed
          ? 'resumed'
          : 'paused_not_resumed';
  return {
    verdict,
    ...(pausedAfterMs !== undefined ? { pausedAfterMs } : {}),
    ...(interruptedAfterMs !== undefined ? { interruptedAfterMs } : {}),
    speech,
    partials,
    finals,
    ...(committed !== undefined ? { committed } : {}),
    callerVoice: voice.map((v) => ({
      afterMs: after(v.streamMs),
      startMs: since(v.startMs),
      endMs: since(v.endMs),
    })),
  };
}
