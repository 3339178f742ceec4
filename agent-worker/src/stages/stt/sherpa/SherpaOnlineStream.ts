import type { SttEvent, SttStream } from '@voiceroom/agent-core/stages';
import { AsyncEventQueue } from '@voiceroom/agent-core/stages';
import { toFloat32 } from '../../pcmConvert.ts';
import type { SherpaOnnx } from '../../sherpaAddon.ts';

/** A streaming (transducer) utterance per sherpa-onnx OnlineStream; decoding runs as audio arrives. */
export class SherpaOnlineStream implements SttStream {
  readonly #recognizer: SherpaOnnx;
  readonly #events = new AsyncEventQueue<SttEvent>();
  #stream: SherpaOnnx | undefined;
  #lastPartial = '';
  #closed = false;

  constructor(recognizer: SherpaOnnx) {
    this.#recognizer = recognizer;
  }

  pushAudio(pcm: Int16Array): void {
    if (this.#closed || pcm.length === 0) return;
    this.#stream ??= this.#recognizer.createStream();
    this.#stream.acceptWaveform({ samples: toFloat32(pcm), sampleRate: 16_000 });
    this.#decodeReady();
    const text = this.#text();
    if (text && text !== this.#lastPartial) {
      this.#lastPartial = text;
      this.#events.push({ type: 'partial', text });
    }
  }

  endUtterance(): void {
    if (this.#closed) return;
    const endedAt = performance.now();
    let text = '';
    if (this.#stream) {
      // Tail padding lets the model emit the last word.
      this.#stream.acceptWaveform({ samples: new Float32Array(8000), sampleRate: 16_000 });
      this.#stream.inputFinished();
      this.#decodeReady();
      text = this.#text();
      this.#stream = undefined;
    }
    this.#lastPartial = '';
    this.#events.push({
      type: 'final',
      text,
      confidence: text ? 1 : 0,
      latencyMs: performance.now() - endedAt,
    });
  }

  cancelUtterance(): void {
    this.#stream = undefined;
    this.#lastPartial = '';
  }

  close(): void {
    this.#closed = true;
    this.#stream = undefined;
    this.#events.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#events[Symbol.asyncIterator]();
  }

  #decodeReady(): void {
    while (this.#recognizer.isReady(this.#stream)) this.#recognizer.decode(this.#stream);
  }

  #text(): string {
    return String(this.#recognizer.getResult(this.#stream).text ?? '')
      .trim()
      .toLowerCase();
  }
}
