import { heardPrefix } from './ChatHistory.ts';
import type { Clock } from './clock.ts';
import { FrameProcessor } from './FrameProcessor.ts';
import type { DownstreamFrame } from './frames.ts';

interface SentencePlayback {
  text: string;
  receivedSamples: number;
  playedSamples: number;
  complete: boolean;
}

interface QueuedChunk {
  pcm: Int16Array;
  offset: number;
  sentence: SentencePlayback;
}

export interface AudioOutputOptions {
  sampleRate: number;
  clock: Clock;
  /** Length of one pulled frame. */
  frameMs?: number;
  /**
   * Told when output stops for the caller (a pause for possible barge-in, an interruption) while agent audio was
   * playing, so frames already handed to the media path but still queued there can be dropped.
   */
  onCancel?: () => void;
}

/**
 * The end of the pipeline: holds the agent's synthesized audio until the media path pulls it, one frame per
 * packet. Because nothing leaves before it is pulled, a pause or an interruption stops the audio within one frame,
 * and what was pulled is exactly what the caller heard (used to truncate the agent's turn on barge-in).
 */
export class AudioOutput extends FrameProcessor {
  readonly #clock: Clock;
  readonly #frameSamples: number;
  readonly #onCancel: (() => void) | undefined;
  #queue: QueuedChunk[] = [];
  #queuedSamples = 0;
  #sentences: SentencePlayback[] = [];
  #turnId: number | undefined;
  #replyDone = false;
  #started = false;
  #paused = false;
  #underruns = 0;

  constructor(options: AudioOutputOptions) {
    super();
    this.#clock = options.clock;
    this.#frameSamples = Math.round((options.sampleRate * (options.frameMs ?? 20)) / 1000);
    this.#onCancel = options.onCancel;
  }

  get frameSamples(): number {
    return this.#frameSamples;
  }

  get queuedSamples(): number {
    return this.#queuedSamples;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Frames the media path asked for mid-reply while synthesis had not produced them yet (heard as gaps). */
  get underruns(): number {
    return this.#underruns;
  }

  processDown(frame: DownstreamFrame): void {
    switch (frame.kind) {
      case 'agent_turn_started':
        if (this.#turnId !== undefined) this.#endTurn(true);
        this.#beginTurn(frame.turnId);
        break;
      case 'agent_audio':
        if (frame.turnId === this.#turnId) this.#enqueue(frame.sentence, frame.pcm, frame.last);
        break;
      case 'reply_done':
        if (frame.turnId !== this.#turnId) break;
        this.#replyDone = true;
        if (this.#queuedSamples === 0) this.#endTurn(false);
        break;
      case 'pause_output':
        this.#cancelPlaying();
        this.#paused = true;
        break;
      case 'resume_output':
        this.#paused = false;
        break;
      case 'interruption':
        this.#cancelPlaying();
        this.#paused = false;
        if (this.#turnId !== undefined) this.#endTurn(true);
        break;
      default:
        break;
    }
  }

  /** Next frame of agent audio to send, or null when there is nothing to play now. */
  pull(): Int16Array | null {
    if (this.#paused || this.#turnId === undefined) return null;
    if (this.#queuedSamples === 0) {
      if (this.#started && !this.#replyDone) this.#underruns++;
      return null;
    }
    const tail = this.#queue[this.#queue.length - 1];
    const canPad = this.#replyDone || tail?.sentence.complete === true;
    if (this.#queuedSamples < this.#frameSamples && !canPad) {
      this.#underruns++; // synthesis is behind: wait for more
      return null;
    }
    const turnId = this.#turnId;
    const frame = new Int16Array(this.#frameSamples);
    let filled = 0;
    while (filled < this.#frameSamples && this.#queue.length > 0) {
      const chunk = this.#queue[0] as QueuedChunk;
      const take = Math.min(this.#frameSamples - filled, chunk.pcm.length - chunk.offset);
      frame.set(chunk.pcm.subarray(chunk.offset, chunk.offset + take), filled);
      if (chunk.sentence.playedSamples === 0) this.#announceSentence(turnId, chunk.sentence);
      chunk.sentence.playedSamples += take;
      chunk.offset += take;
      filled += take;
      this.#queuedSamples -= take;
      if (chunk.offset === chunk.pcm.length) this.#queue.shift();
    }
    if (!this.#started) {
      this.#started = true;
      this.pushUp({ kind: 'bot_started_speaking', turnId, atMs: this.#clock.now() });
    }
    if (this.#queuedSamples === 0 && this.#replyDone) this.#endTurn(false);
    return frame;
  }

  /** Audio of this turn was flowing to the caller: whatever the media path still queues of it is dropped. */
  #cancelPlaying(): void {
    if (this.#turnId !== undefined && this.#started && !this.#paused) this.#onCancel?.();
  }

  #beginTurn(turnId: number): void {
    this.#turnId = turnId;
    this.#paused = false;
    this.#queue = [];
    this.#queuedSamples = 0;
    this.#sentences = [];
    this.#replyDone = false;
    this.#started = false;
  }

  #enqueue(text: string, pcm: Int16Array, last: boolean): void {
    let sentence = this.#sentences[this.#sentences.length - 1];
    if (sentence === undefined || sentence.complete || sentence.text !== text) {
      sentence = { text, receivedSamples: 0, playedSamples: 0, complete: false };
      this.#sentences.push(sentence);
    }
    sentence.receivedSamples += pcm.length;
    sentence.complete = last;
    if (pcm.length > 0) {
      this.#queue.push({ pcm, offset: 0, sentence });
      this.#queuedSamples += pcm.length;
    }
  }

  #announceSentence(turnId: number, sentence: SentencePlayback): void {
    const upTo = this.#sentences.indexOf(sentence);
    const heardText = this.#sentences
      .slice(0, upTo + 1)
      .map((s) => s.text.trim())
      .join(' ');
    this.pushUp({ kind: 'bot_speaking_text', turnId, heardText, atMs: this.#clock.now() });
  }

  #heardText(): string {
    return this.#sentences
      .map((s) => heardPrefix(s.text.trim(), s.playedSamples, s.receivedSamples))
      .filter((t) => t !== '')
      .join(' ');
  }

  #endTurn(interrupted: boolean): void {
    const turnId = this.#turnId;
    if (turnId === undefined) return;
    const heardText = this.#heardText();
    this.#turnId = undefined;
    this.#paused = false;
    this.#queue = [];
    this.#queuedSamples = 0;
    this.#sentences = [];
    this.pushUp({ kind: 'bot_turn_ended', turnId, heardText, interrupted, atMs: this.#clock.now() });
  }
}
