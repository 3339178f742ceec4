/**
 * Small test doubles of the stage interfaces (agent-worker/src/stages/types.ts) and a fake clock, so the pipeline's
 * turn-taking and barge-in are tested frame by frame without models or waiting. End-to-end tests use real stages.
 */

import type {
  Dialog,
  DialogChunk,
  DialogSession,
  DialogTurnInput,
  Stt,
  SttEvent,
  SttExpectation,
  SttStream,
  Tts,
  Vad,
  VadEvent,
  VadStream,
} from '@voiceroom/agent-core/stages';
import type { Clock } from '../../src/pipeline/clock.ts';

export class FakeClock implements Clock {
  #now = 1000;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #nextId = 0;

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const id = this.#nextId++;
    this.#timers.push({ at: this.#now + Math.max(0, ms), fn, id });
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== id);
    };
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = target;
  }
}

class SimpleQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: Error | undefined;
  push(item: T): void {
    this.#items.push(item);
    this.#wake?.();
  }
  end(): void {
    this.#ended = true;
    this.#wake?.();
  }
  /** The iteration throws `error` once the queued items are taken. */
  fail(error: Error): void {
    this.#error = error;
    this.#wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) yield item;
      else if (this.#error) throw this.#error;
      else if (this.#ended) return;
      else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

/** Speech = 20 ms frames whose mean magnitude is above 500 (the tests feed 4000 for speech, 0 for silence). */
export class LevelVad implements Vad {
  readonly name: string;
  samplesPushed = 0;
  /** When set, the next push of speech throws it (a VAD crashing mid-call). */
  failAtNextSpeech: Error | undefined;
  /** What its streams were told of the agent's turn (setAgentTurn), in order. */
  readonly agentTurns: boolean[] = [];
  readonly #minSilenceMs: number;
  constructor(minSilenceMs = 200, name = 'level-double') {
    this.#minSilenceMs = minSilenceMs;
    this.name = name;
  }
  createStream(): VadStream {
    let streamMs = 0;
    let speaking = false;
    let silentMs = 0;
    let lastSpeechEndMs = 0;
    let speechStartMs = 0;
    const minSilence = this.#minSilenceMs;
    const vad = this;
    return {
      push(pcm) {
        const failure = vad.failAtNextSpeech;
        if (failure && pcm.some((s) => Math.abs(s) > 500)) {
          vad.failAtNextSpeech = undefined;
          throw failure;
        }
        vad.samplesPushed += pcm.length;
        const events: VadEvent[] = [];
        for (let offset = 0; offset + 320 <= pcm.length; offset += 320) {
          let sum = 0;
          for (let i = offset; i < offset + 320; i++) sum += Math.abs(pcm[i] ?? 0);
          const speech = sum / 320 > 500;
          if (speech) {
            if (!speaking) {
              speaking = true;
              speechStartMs = streamMs;
              events.push({ type: 'speech_start', atMs: streamMs });
            }
            silentMs = 0;
            lastSpeechEndMs = streamMs + 20;
          } else if (speaking) {
            silentMs += 20;
            if (silentMs >= minSilence) {
              speaking = false;
              events.push({
                type: 'speech_end',
                atMs: lastSpeechEndMs,
                durationMs: lastSpeechEndMs - speechStartMs,
              });
            }
          }
          streamMs += 20;
        }
        return events;
      },
      get speaking() {
        return speaking;
      },
      probability: 0,
      setAgentTurn(active) {
        vad.agentTurns.push(active);
      },
      reset() {
        speaking = false;
      },
      close() {},
    };
  }
  close() {}
}

/** Recognises the next scripted text for each utterance; a partial with one word per 300 ms of audio. */
export class ScriptedStt implements Stt {
  readonly name: string;
  readonly followsDialog = true;
  /** Texts of the coming utterances, in order; an utterance with none left is recognised as ''. */
  readonly utterances: string[] = [];
  /** Other hypotheses a final carries, by its text. */
  readonly alternatives = new Map<string, string[]>();
  /** What the recogniser judges a final's speech to be (SttEvent's `overAgent`), when it began while the agent spoke. */
  readonly overAgentPhrases = new Map<string, string>();
  /** What the streams were told to expect, with how much caller audio they had been given by then. */
  readonly expectations: { slot: SttExpectation; atAudioSamples: number }[] = [];
  audioSamples = 0;
  closed = false;
  /** When true, utterances end without a final (a recogniser that stalls). */
  withholdFinals = false;
  /** When set, the next utterance's end breaks the stream with this error (a recogniser crashing mid-call). */
  failAtNextUtteranceEnd: Error | undefined;
  /** With `failAtNextUtteranceEnd`: endUtterance itself throws, rather than the stream's iteration. */
  failSynchronously = false;
  constructor(name = 'scripted-double') {
    this.name = name;
  }
  createStream(): SttStream {
    const queue = new SimpleQueue<SttEvent>();
    let samples = 0;
    let partialWords = 0;
    let agentSpeaking = false;
    let overAgent = false;
    return {
      expect: (slot) => {
        this.expectations.push({ slot, atAudioSamples: this.audioSamples });
      },
      agentSpeaking: (speaking) => {
        agentSpeaking = speaking;
      },
      pushAudio: (pcm) => {
        if (samples === 0) overAgent = agentSpeaking;
        samples += pcm.length;
        this.audioSamples += pcm.length;
        const words = (this.utterances[0] ?? '').split(' ').filter(Boolean);
        const heard = Math.min(words.length, Math.floor(samples / 4800));
        if (heard > partialWords) {
          partialWords = heard;
          queue.push({ type: 'partial', text: words.slice(0, heard).join(' ') });
        }
      },
      endUtterance: () => {
        const failure = this.failAtNextUtteranceEnd;
        if (failure) {
          this.failAtNextUtteranceEnd = undefined;
          if (this.failSynchronously) throw failure;
          queue.fail(failure);
          return;
        }
        if (!this.withholdFinals) {
          const text = this.utterances.shift() ?? '';
          const alternatives = this.alternatives.get(text);
          const phrase = this.overAgentPhrases.get(text);
          queue.push({
            type: 'final',
            text,
            confidence: 1,
            latencyMs: 0,
            ...(alternatives ? { alternatives } : {}),
            ...(overAgent && phrase !== undefined ? { overAgent: { phrase, confidence: 1 } } : {}),
          });
        }
        samples = 0;
        partialWords = 0;
      },
      cancelUtterance: () => {
        samples = 0;
      },
      close: () => {
        this.closed = true;
        queue.end();
      },
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    };
  }
  close() {}
}

/** Replies with `reply(userText)` sentence by sentence; records every request and whether it was aborted. */
export class ScriptedDialogDouble implements Dialog {
  readonly name = 'dialog-double';
  readonly requests: { input: DialogTurnInput; signal: AbortSignal; atMs: number }[] = [];
  /** What sessions were told a human agent said. */
  readonly heardFromHuman: string[] = [];
  reply: (userText: string) => DialogChunk[] = (text) => [{ type: 'text', text: `You said ${text}.` }];
  /** Time the double "thinks" before its first chunk, on the test's clock. */
  latencyMs = 0;
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  createSession(): DialogSession {
    return {
      respond: async function* (this: ScriptedDialogDouble, input: DialogTurnInput, signal: AbortSignal) {
        this.requests.push({
          input: { ...input, history: [...input.history] },
          signal,
          atMs: this.#clock.now(),
        });
        if (this.latencyMs > 0) {
          await new Promise<void>((resolve) => this.#clock.setTimer(this.latencyMs, resolve));
        }
        for (const chunk of this.reply(input.userText)) {
          await Promise.resolve();
          if (signal.aborted) return;
          yield chunk;
        }
      }.bind(this),
      hearHuman: (text: string) => {
        this.heardFromHuman.push(text);
      },
      close() {},
    };
  }
  close() {}
}

/** 16 kHz "speech": 300 ms of constant 3000 per word, in 100 ms chunks. */
export class ToneTts implements Tts {
  readonly name = 'tone-double';
  readonly sampleRate = 16000;
  readonly synthesized: { text: string; signal: AbortSignal }[] = [];
  async *synthesize(text: string, signal: AbortSignal): AsyncIterable<Int16Array> {
    this.synthesized.push({ text, signal });
    const total = text.split(/\s+/).filter(Boolean).length * 4800;
    for (let done = 0; done < total; done += 1600) {
      await Promise.resolve();
      if (signal.aborted) return;
      yield new Int16Array(Math.min(1600, total - done)).fill(3000);
    }
  }
  close() {}
}
