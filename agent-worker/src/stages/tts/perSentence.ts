import { splitSentences } from './SentenceSplitter.ts';

/** Audio is handed out in pieces of at most this many milliseconds, so a consumer can stop between them. */
const CHUNK_MS = 200;

/**
 * Synthesises `text` one sentence at a time with `synthesizeSentence`, yielding each sentence's audio in short
 * chunks: the first audio follows the first sentence, and an abort takes effect at the next sentence or chunk.
 */
export async function* synthesizePerSentence(
  text: string,
  sampleRate: number,
  signal: AbortSignal,
  synthesizeSentence: (sentence: string) => Promise<Int16Array>,
): AsyncIterable<Int16Array> {
  const chunkSamples = Math.round((sampleRate * CHUNK_MS) / 1000);
  for (const sentence of splitSentences(text)) {
    if (signal.aborted) return;
    const audio = await synthesizeSentence(sentence);
    for (let offset = 0; offset < audio.length; offset += chunkSamples) {
      if (signal.aborted) return;
      yield audio.subarray(offset, offset + chunkSamples);
    }
  }
}
