import type { SttEvent, SttStream } from '@voiceroom/agent-core/stages';
import { AsyncEventQueue } from '@voiceroom/agent-core/stages';
import { toFloat32 } from '../../pcmConvert.ts';
import type { SherpaOnnx } from '../../sherpaAddon.ts';

/**
 * Whisper/Moonshine: the utterance is buffered and decoded at endUtterance on sherpa-onnx's worker thread; finals
 * come out in utterance order.
 */
export class SherpaOfflineStream implements SttStream {
  readonly #recognizer: SherpaOnnx;
  readonly #onError: (error: Error) => void;
  readonly #events = new AsyncEventQueue<SttEvent>();
  #chunks: Int16Array[] = [];
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(recognizer: SherpaOnnx, onError: (error: Error) => void) {
    this.#recognizer = recognizer;
    this.#onError = onError;
  }

  pushAudio(pcm: Int16Array): void {
    if (!this.#closed && pcm.length > 0) this.#chunks.push(pcm.slice());
  }

  endUtterance(): void {
    if (this.#closed) return;
    const endedAt = performance.now();
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#chain = this.#chain
      .then(async () => {
        let text = '';
        const total = chunks.reduce((n, c) => n + c.length, 0);
        if (total > 0) {
          const audio = new Int16Array(total);
          let offset = 0;
          for (const c of chunks) {
            audio.set(c, offset);
            offset += c.length;
          }
          const stream = this.#recognizer.createStream();
          stream.acceptWaveform({ samples: toFloat32(audio), sampleRate: 16_000 });
          await this.#recognizer.decodeAsync(stream);
          text = String(this.#recognizer.getResult(stream).text ?? '')
            .trim()
            .toLowerCase();
        }
        if (!this.#closed) {
          this.#events.push({
            type: 'final',
            text,
            confidence: text ? 1 : 0,
            latencyMs: performance.now() - endedAt,
          });
        }
      })
      .catch((error: Error) => this.#onError(error));
  }

  cancelUtterance(): void {
    this.#chunks = [];
  }

  close(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#events.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#events[Symbol.asyncIterator]();
  }
}
