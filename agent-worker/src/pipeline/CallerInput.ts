import type { SttExpectation, SttStream, VadEvent, VadStream } from '@voiceroom/agent-core/stages';
import type { AgentState } from '@voiceroom/protocol';
import type { Clock } from './clock.ts';
import { FrameProcessor } from './FrameProcessor.ts';
import type { DownstreamFrame, UpstreamFrame } from './frames.ts';

const SAMPLES_PER_MS = 16;
const NO_EVENTS: readonly VadEvent[] = [];

export interface CallerInputOptions {
  vad: VadStream;
  stt: SttStream;
  /** How much audio before the VAD's speech start is kept for the recogniser. */
  prefixPaddingMs: number;
  clock: Clock;
  /**
   * The VAD or the recogniser failed (threw while fed, or the recogniser's stream broke); it is fed no more until
   * replaced (`replaceVad`, `replaceRecogniser`).
   */
  onError(stage: 'vad' | 'stt', error: unknown): void;
}

/**
 * The head of the pipeline: runs the caller's 16 kHz audio through VAD, hands the recogniser only the speech (with
 * its prefix padding), and turns VAD and STT events into frames. Only the caller's own track reaches it, so the
 * agent's voice can never trigger its VAD (no self-interruption through the media path).
 */
export class CallerInput extends FrameProcessor {
  #vad: VadStream;
  #vadFailed = false;
  /**
   * The caller listens to the agent (it thinks or speaks, not paused for the caller's own speech): what their
   * microphone hears is most likely their room. The VAD is told it (a replacement VAD too).
   */
  #callerListening = false;
  /**
   * The agent's voice has reached the caller in its current turn (paused for the caller's speech since, or not):
   * speech that starts now is speech over it. The recogniser is told it (a replacement recogniser too).
   */
  #agentAudible = false;
  /** Stream position (ms) at which the current VAD stream started: its event times count from there. */
  #vadOriginMs = 0;
  #stt: SttStream;
  #sttFailed = false;
  readonly #onError: (stage: 'vad' | 'stt', error: unknown) => void;
  readonly #clock: Clock;
  readonly #recent: Int16Array;
  /** Stream position (samples) just after the newest sample in `#recent`. */
  #streamSamples = 0;
  /** Stream position up to which the current utterance was given to the recogniser. */
  #fedUpTo = 0;
  #inSpeech = false;
  #reading: Promise<void>;
  #expected: SttExpectation = 'open';

  constructor(options: CallerInputOptions) {
    super();
    this.#vad = options.vad;
    this.#stt = options.stt;
    this.#onError = options.onError;
    this.#clock = options.clock;
    this.#recent = new Int16Array(Math.max(1, options.prefixPaddingMs + 1000) * SAMPLES_PER_MS);
    this.#reading = this.#read(this.#stt);
  }

  /** Resolves when the recogniser's stream has ended (after `close`). */
  get reading(): Promise<void> {
    return this.#reading;
  }

  /**
   * Hands the caller's speech to another recogniser from now on (the fallback taking over from a failed one); the
   * current utterance's remembered audio goes to it too.
   */
  replaceRecogniser(stt: SttStream): void {
    const previous = this.#stt;
    this.#stt = stt;
    this.#sttFailed = false;
    closeQuietly(previous);
    this.expect(this.#expected);
    this.#tellRecogniserAgentAudible();
    this.#reading = this.#read(stt);
  }

  /** What the agent just asked for: the recogniser listens for it from the caller's next utterance on. */
  expect(slot: SttExpectation): void {
    this.#expected = slot;
    if (this.#sttFailed) return;
    try {
      this.#stt.expect?.(slot);
    } catch (error) {
      this.#recogniserFailed(this.#stt, error);
    }
  }

  #tellRecogniserAgentAudible(): void {
    if (this.#sttFailed) return;
    try {
      this.#stt.agentSpeaking?.(this.#agentAudible);
    } catch (error) {
      this.#recogniserFailed(this.#stt, error);
    }
  }

  /** Detects the caller's speech with another VAD from now on (the fallback taking over from a failed one). */
  replaceVad(vad: VadStream): void {
    const previous = this.#vad;
    this.#vad = vad;
    this.#vadFailed = false;
    this.#vadOriginMs = this.#streamSamples / SAMPLES_PER_MS;
    closeQuietly(previous);
    this.#tellVadCallerListening();
  }

  /**
   * What the agent does, as turn-taking decided it (TurnTaker's state): the one source of what the VAD and the
   * recogniser are told of the agent's turn.
   */
  setAgentState(state: AgentState): void {
    this.#callerListening = state === 'thinking' || state === 'speaking';
    this.#agentAudible = state === 'speaking' || (state === 'paused' && this.#agentAudible);
    this.#tellVadCallerListening();
    this.#tellRecogniserAgentAudible();
  }

  #tellVadCallerListening(): void {
    if (!this.#vadFailed) this.#vad.setAgentTurn?.(this.#callerListening);
  }

  processDown(frame: DownstreamFrame): void {
    if (frame.kind === 'caller_audio') this.#onAudio(frame.pcm, frame.atMs);
    else this.pushDown(frame);
  }

  close(): void {
    this.#stt.close();
    this.#vad.close();
  }

  #onAudio(pcm: Int16Array, atMs: number): void {
    const chunkStart = this.#streamSamples;
    this.#remember(pcm);
    const toClock = (streamMs: number) => atMs + (streamMs * SAMPLES_PER_MS - chunkStart) / SAMPLES_PER_MS;
    for (const event of this.#detect(pcm)) {
      const streamMs = event.atMs + this.#vadOriginMs;
      if (event.type === 'speech_start') {
        this.#inSpeech = true;
        this.#fedUpTo = Math.max(streamMs * SAMPLES_PER_MS, this.#streamSamples - this.#recent.length);
        this.pushDown({ kind: 'user_started_speaking', atMs: toClock(streamMs), streamMs });
      } else this.#speechEnded(toClock(streamMs), streamMs);
    }
    if (this.#inSpeech) this.#feedRecogniser();
    this.pushDown({
      kind: 'caller_audio_processed',
      streamMs: this.#streamSamples / SAMPLES_PER_MS,
      speechOnset: !this.#inSpeech && !this.#vadFailed && this.#vad.onset === true,
      ...this.#foreground(),
    });
  }

  override processUp(frame: UpstreamFrame): void {
    if (frame.kind === 'end_caller_speech') this.#endSpeech();
    else this.pushUp(frame);
  }

  /** Turn-taking judged the caller done while the room's voices hold the speech open: the VAD ends it now. */
  #endSpeech(): void {
    if (!this.#inSpeech || this.#vadFailed) return;
    const nowMs = this.#streamSamples / SAMPLES_PER_MS;
    const nowAt = this.#clock.now();
    for (const event of this.#vad.endSpeech?.() ?? NO_EVENTS) {
      const streamMs = event.atMs + this.#vadOriginMs;
      this.#speechEnded(nowAt - (nowMs - streamMs), streamMs);
    }
  }

  #speechEnded(atMs: number, streamMs: number): void {
    if (!this.#inSpeech) return;
    this.#feedRecogniser();
    this.#endUtterance();
    this.#inSpeech = false;
    this.pushDown({ kind: 'user_stopped_speaking', atMs, streamMs });
  }

  /** In speech, where the VAD hears the caller's own voice in it (VadStream.foregroundStartMs/EndMs), stream ms. */
  #foreground(): { foregroundStartMs?: number; foregroundEndMs?: number; foregroundTrailEndMs?: number } {
    if (!this.#inSpeech || this.#vadFailed) return {};
    const { foregroundStartMs: startMs, foregroundEndMs: endMs, foregroundTrailEndMs: trailMs } = this.#vad;
    return {
      ...(startMs !== undefined ? { foregroundStartMs: startMs + this.#vadOriginMs } : {}),
      ...(endMs !== undefined ? { foregroundEndMs: endMs + this.#vadOriginMs } : {}),
      ...(trailMs !== undefined ? { foregroundTrailEndMs: trailMs + this.#vadOriginMs } : {}),
    };
  }

  /** The VAD's events for `pcm`; when the VAD throws, speech in progress ends here and it is not asked again. */
  #detect(pcm: Int16Array): readonly VadEvent[] {
    if (this.#vadFailed) return NO_EVENTS;
    try {
      return this.#vad.push(pcm);
    } catch (error) {
      this.#vadFailed = true;
      closeQuietly(this.#vad);
      queueMicrotask(() => this.#onError('vad', error));
      if (!this.#inSpeech) return NO_EVENTS;
      const atMs = this.#streamSamples / SAMPLES_PER_MS - this.#vadOriginMs;
      return [{ type: 'speech_end', atMs, durationMs: 0 }];
    }
  }

  #remember(pcm: Int16Array): void {
    const ring = this.#recent;
    const input = pcm.length > ring.length ? pcm.subarray(pcm.length - ring.length) : pcm;
    const skipped = pcm.length - input.length;
    const start = (this.#streamSamples + skipped) % ring.length;
    const firstPart = Math.min(input.length, ring.length - start);
    ring.set(input.subarray(0, firstPart), start);
    ring.set(input.subarray(firstPart), 0);
    this.#streamSamples += pcm.length;
  }

  /** Gives the recogniser the remembered audio from `#fedUpTo` to now. */
  #feedRecogniser(): void {
    if (this.#sttFailed) return;
    const from = Math.max(this.#fedUpTo, this.#streamSamples - this.#recent.length);
    const count = this.#streamSamples - from;
    if (count <= 0) return;
    const out = new Int16Array(count);
    const ring = this.#recent;
    for (let i = 0, pos = from % ring.length; i < count; i++, pos = (pos + 1) % ring.length)
      out[i] = ring[pos] ?? 0;
    this.#fedUpTo = this.#streamSamples;
    try {
      this.#stt.pushAudio(out);
    } catch (error) {
      this.#recogniserFailed(this.#stt, error, true);
    }
  }

  #endUtterance(): void {
    if (this.#sttFailed) return;
    try {
      this.#stt.endUtterance();
    } catch (error) {
      this.#recogniserFailed(this.#stt, error, true);
    }
  }

  #read(stt: SttStream): Promise<void> {
    return this.#readTranscripts(stt).catch((error: unknown) => this.#recogniserFailed(stt, error));
  }

  /**
   * `duringFrame`: thrown while a frame is being handled. Then it is reported once that frame has gone down the
   * pipeline, so turn-taking sees the caller's speech end before the agent reacts to the failure.
   */
  #recogniserFailed(stt: SttStream, error: unknown, duringFrame = false): void {
    if (stt !== this.#stt || this.#sttFailed) return;
    this.#sttFailed = true;
    closeQuietly(stt);
    if (duringFrame) queueMicrotask(() => this.#onError('stt', error));
    else this.#onError('stt', error);
  }

  async #readTranscripts(stt: SttStream): Promise<void> {
    for await (const event of stt) {
      if (stt !== this.#stt) return;
      const streamMs = this.#streamSamples / SAMPLES_PER_MS;
      const atMs = this.#clock.now();
      if (event.type === 'partial') {
        this.pushDown({ kind: 'transcription', text: event.text, final: false, atMs, streamMs });
        continue;
      }
      const { text, confidence, alternatives, overAgent } = event;
      this.pushDown({
        kind: 'transcription',
        text,
        final: true,
        atMs,
        streamMs,
        confidence,
        ...(alternatives ? { alternatives } : {}),
        ...(overAgent ? { overAgent } : {}),
      });
    }
  }
}

function closeQuietly(stream: { close(): void }): void {
  try {
    stream.close();
  } catch {
    // a broken stage may fail to close too; it is dropped either way
  }
}
