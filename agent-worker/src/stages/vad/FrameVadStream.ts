import type { VadEvent, VadStream } from '@voiceroom/agent-core/stages';
import { CodedError } from '@voiceroom/protocol';
import type { ForegroundGate } from './ForegroundGate.ts';
import { ForegroundOnset } from './ForegroundOnset.ts';
import { VadStateMachine, type VadTiming } from './VadStateMachine.ts';

/** Scores fixed-size frames of 16 kHz audio with a speech probability; may keep state between frames. */
export interface FrameScorer {
  readonly frameSamples: number;
  score(frame: Int16Array): number;
  reset(): void;
  close(): void;
}

const SAMPLE_RATE = 16_000;

interface HeardFrame {
  probability: number;
  /** Mean power (full scale 1), and its level smoothed by the gate (dB; 0 without one). */
  power: number;
  db: number;
  startMs: number;
}

/**
 * A VadStream over any frame scorer: buffers pushed audio into whole frames (so chunk sizes never change the
 * events), scores each frame and runs the state machine. With a foreground gate, a frame scored as speech but far
 * quieter than the caller's speech counts as silence (background voices). Where the caller's voice began in speech
 * that background voices started: ForegroundOnset.
 */
export class FrameVadStream implements VadStream {
  readonly #scorer: FrameScorer;
  readonly #gate: ForegroundGate | undefined;
  readonly #machine: VadStateMachine;
  readonly #foreground = new ForegroundOnset();
  readonly #prefixPaddingMs: number;
  readonly #frame: Int16Array;
  /** Frames heard while the gate awaits the room (from the stream's start, as the agent greets): judged once it knows it. */
  readonly #held: HeardFrame[] = [];
  #filled = 0;
  #framesDone = 0;
  #probability = 0;
  #closed = false;

  constructor(scorer: FrameScorer, timing: VadTiming, gate?: ForegroundGate) {
    this.#scorer = scorer;
    this.#gate = gate;
    this.#machine = new VadStateMachine(timing);
    this.#prefixPaddingMs = timing.prefixPaddingMs;
    this.#frame = new Int16Array(scorer.frameSamples);
  }

  get speaking(): boolean {
    return this.#machine.speaking;
  }

  get probability(): number {
    return this.#probability;
  }

  get onset(): boolean {
    return this.#machine.onset;
  }

  get foregroundStartMs(): number | undefined {
    const startMs = this.#foreground.startMs;
    return this.#machine.speaking && startMs !== undefined
      ? Math.max(0, startMs - this.#prefixPaddingMs)
      : undefined;
  }
  get foregroundEndMs(): number | undefined {
    return this.#machine.speaking ? this.#foreground.endMs : undefined;
  }
  get foregroundTrailEndMs(): number | undefined {
    return this.#machine.speaking ? this.#foreground.trailEndMs : undefined;
  }

  /** The agent holds the turn (its greeting or a reply): the foreground gate takes what it hears for the room. */
  setAgentTurn(active: boolean): void {
    this.#gate?.setAgentTurn(active);
  }

  endSpeech(): VadEvent[] {
    const event = this.#machine.endSpeech();
    if (!event) return [];
    this.#foreground.reset();
    return [event];
  }

  push(pcm: Int16Array): VadEvent[] {
    if (this.#closed) throw new CodedError('vad_closed', 'VAD stream is closed');
    const events: VadEvent[] = [];
    const frameMs = (this.#frame.length * 1000) / SAMPLE_RATE;
    let offset = 0;
    while (offset < pcm.length) {
      const take = Math.min(this.#frame.length - this.#filled, pcm.length - offset);
      this.#frame.set(pcm.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled < this.#frame.length) break;
      this.#filled = 0;
      this.#probability = this.#scorer.score(this.#frame);
      const power = meanPower(this.#frame);
      const heard: HeardFrame = {
        probability: this.#probability,
        power,
        db: this.#gate?.hear(power) ?? 0,
        startMs: this.#framesDone * frameMs,
      };
      this.#framesDone++;
      if (this.#gate?.awaitingRoom) {
        this.#held.push(heard);
        continue;
      }
      for (const held of this.#held) this.#decide(held, frameMs, events);
      this.#held.length = 0;
      this.#decide(heard, frameMs, events);
    }
    return events;
  }

  /** Runs a heard frame through the gate, the state machine and the onset. */
  #decide(frame: HeardFrame, frameMs: number, events: VadEvent[]): void {
    const m = this.#machine;
    const gated =
      this.#gate && !this.#gate.foreground(frame.db, frameMs, m.speaking, m.keepsSpeech(frame.probability));
    const event = m.frame(gated ? 0 : frame.probability, frame.startMs, frameMs);
    if (m.speaking || m.onset) this.#foreground.speech(frame.power, frame.startMs, frameMs);
    else this.#foreground.reset();
    if (event) events.push(event);
  }

  reset(): void {
    this.#filled = 0;
    this.#framesDone = 0;
    this.#held.length = 0;
    this.#probability = 0;
    this.#machine.reset();
    this.#foreground.reset();
    this.#scorer.reset();
    this.#gate?.reset();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#scorer.close();
  }
}

/** A frame's mean power (full scale 1): what the gate and the onset judge levels by. */
function meanPower(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const s = (frame[i] as number) / 32768;
    sum += s * s;
  }
  return frame.length === 0 ? 0 : sum / frame.length;
}
