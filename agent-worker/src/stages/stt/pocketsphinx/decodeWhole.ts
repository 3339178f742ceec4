import type { PocketSphinxLib } from './native.ts';

/**
 * Decodes an utterance's audio again in one piece (no utterance open on `decoder`): its best hypothesis. Used once
 * the cepstral means have adapted to the utterance, when the decoder started it from the model's defaults.
 */
export async function decodeWhole(
  lib: PocketSphinxLib,
  decoder: unknown,
  chunks: readonly Int16Array[],
): Promise<string> {
  const audio = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    audio.set(c, offset);
    offset += c.length;
  }
  lib.startUtt(decoder);
  await lib.processRaw(decoder, audio);
  await lib.endUtt(decoder);
  return lib.finalHypothesis(decoder);
}
