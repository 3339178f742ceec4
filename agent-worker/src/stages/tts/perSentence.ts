import { splitSentences } from './SentenceSplitter.ts';

/** Audio is handed out in pieces of at most this many milliseconds, so a consumer can stop between them. */
const CHUNK_MS = 200;
/** Silence kept before a sentence's first sound (the engines' own lead-in is 50-310 ms). */
const LEAD_IN_MS = 30;
/** |sample| above this (about -40 dBFS) is sound. */
const SOUND_THRESHOLD = 328;

/**
 * `audio` without the engine's silent lead-in, keeping `keepMs` before the first sound. Flite opens every sentence
 * with ~300 ms of silence: played as is, the caller waits that long for a reply that has already started.
 */
export function trimLeadingSilence(audio: Int16Array, sampleRate: number, keepMs = LEAD_IN_MS): Int16Array {
  const first = audio.findIndex((sample) => sample > SOUND_THRESHOLD || sample < -SOUND_THRESHOLD);
  if (first < 0) return audio;
  return audio.subarray(Math.max(0, first - Math.round((sampleRate * keepMs) / 1000)));
}

/**
 * Synthesises `text` one sentence at a time with `synthesizeSentence`, yielding each sentence's audio in short
 * chunks, each without the engine's silent lead-in: the first audio follows the first sentence, and an abort takes
 * effect at the next sentence or chunk.
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
    const audio = trimLeadingSilence(await synthesizeSentence(sentence), sampleRate);
    for (let offset = 0; offset < audio.length; offset += chunkSamples) {
      if (signal.aborted) return;
      yield audio.subarray(offset, offset + chunkSamples);
    }
  }
}
