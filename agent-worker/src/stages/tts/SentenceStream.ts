import { AsyncEventQueue, type Tts } from '@voiceroom/agent-core/stages';
import { CodedError } from '@voiceroom/protocol';
import { SentenceSplitter } from './SentenceSplitter.ts';

export interface SpokenSentence {
  /** Position of the sentence in the reply, from 0. */
  index: number;
  sentence: string;
  /** The sentence's audio at the TTS's sample rate; streams while it is still being synthesised. */
  audio: AsyncIterable<Int16Array>;
}

export interface SentenceStreamOptions {
  /** How many sentences may be synthesised at the same time (config tts.parallelism). */
  parallelism: number;
  signal: AbortSignal;
}

interface Job {
  index: number;
  sentence: string;
  chunks: AsyncEventQueue<Int16Array | Error>;
}

/**
 * Sentence chunking for streamed replies: reads dialog text tokens, cuts them into sentences, synthesises up to
 * `parallelism` sentences concurrently and hands them out strictly in order, so the first sentence plays while
 * the next ones are generated. Aborting `signal` stops reading tokens, cancels every synthesis in flight and ends
 * the iteration.
 */
export class SentenceStream implements AsyncIterable<SpokenSentence> {
  readonly #tts: Tts;
  readonly #parallelism: number;
  readonly #controller = new AbortController();
  readonly #ready = new AsyncEventQueue<Job | Error>();
  readonly #pending: Job[] = [];
  #active = 0;
  #count = 0;

  constructor(tts: Tts, tokens: AsyncIterable<string>, options: SentenceStreamOptions) {
    if (!Number.isInteger(options.parallelism) || options.parallelism < 1) {
      throw new CodedError(
        'tts_parallelism_invalid',
        `parallelism must be a positive integer, got ${options.parallelism}`,
      );
    }
    this.#tts = tts;
    this.#parallelism = options.parallelism;
    if (options.signal.aborted) this.#abort();
    else {
      const onAbort = (): void => this.#abort();
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.#controller.signal.addEventListener(
        'abort',
        () => options.signal.removeEventListener('abort', onAbort),
        {
          once: true,
        },
      );
    }
    void this.#readTokens(tokens);
  }

  /** Sentences cut so far. */
  get sentenceCount(): number {
    return this.#count;
  }

  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SpokenSentence> {
    let completed = false;
    try {
      for await (const item of this.#ready) {
        if (item instanceof Error) throw item;
        if (this.aborted) return;
        yield { index: item.index, sentence: item.sentence, audio: this.#audioOf(item) };
      }
      completed = true;
    } finally {
      // A consumer that stops early (break, barge-in) or a failed reply cancels the rest; a completed iteration
      // leaves the audio of sentences already handed out playing to its end.
      if (!completed) this.#abort();
    }
  }

  async *#audioOf(job: Job): AsyncIterable<Int16Array> {
    for await (const chunk of job.chunks) {
      if (chunk instanceof Error) throw chunk;
      if (this.aborted) return;
      yield chunk;
    }
  }

  async #readTokens(tokens: AsyncIterable<string>): Promise<void> {
    const splitter = new SentenceSplitter();
    try {
      for await (const token of tokens) {
        if (this.aborted) return;
        for (const sentence of splitter.push(token)) this.#enqueue(sentence);
      }
      const last = splitter.flush();
      if (last && !this.aborted) this.#enqueue(last);
    } catch (error) {
      if (!this.aborted) this.#ready.push(error as Error);
    } finally {
      // Every sentence is queued by now; each one's audio ends on its own.
      this.#ready.end();
    }
  }

  #enqueue(sentence: string): void {
    const job: Job = { index: this.#count++, sentence, chunks: new AsyncEventQueue() };
    this.#ready.push(job);
    this.#pending.push(job);
    this.#startJobs();
  }

  #startJobs(): void {
    while (this.#active < this.#parallelism && this.#pending.length > 0 && !this.aborted) {
      const job = this.#pending.shift() as Job;
      this.#active++;
      void this.#synthesize(job).finally(() => {
        this.#active--;
        this.#startJobs();
      });
    }
  }

  async #synthesize(job: Job): Promise<void> {
    try {
      for await (const chunk of this.#tts.synthesize(job.sentence, this.#controller.signal)) {
        if (this.aborted) break;
        job.chunks.push(chunk);
      }
    } catch (error) {
      if (!this.aborted) job.chunks.push(error as Error);
    } finally {
      job.chunks.end();
    }
  }

  #abort(): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort();
    for (const job of this.#pending) job.chunks.end();
    this.#pending.length = 0;
    this.#ready.end();
  }
}
