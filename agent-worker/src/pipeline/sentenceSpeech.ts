import type { Tts } from '@voiceroom/agent-core/stages';
import { SentenceStream } from '../stages/tts/SentenceStream.ts';
import type { SpeakSentences, SpokenChunk } from './ReplyGenerator.ts';

const END_OF_SENTENCE = new Int16Array(0);

/**
 * The pipeline's view of the sentence-chunking TTS stream: every audio chunk tagged with its sentence, and an
 * empty closing chunk per sentence, so the output knows which words each sample carries.
 */
export function speakWith(tts: Tts, parallelism: number): SpeakSentences {
  return async function* speak(text, signal): AsyncIterable<SpokenChunk> {
    for await (const spoken of new SentenceStream(tts, text, { parallelism, signal })) {
      for await (const pcm of spoken.audio) yield { text: spoken.sentence, pcm, last: false };
      if (signal.aborted) return;
      yield { text: spoken.sentence, pcm: END_OF_SENTENCE, last: true };
    }
  };
}
