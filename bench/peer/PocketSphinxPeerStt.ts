/**
 * The peer's STT slot: our PocketSphinx recogniser (the same domain language model our worker builds from the agent
 * configuration) behind @livekit/agents' STT interface. PocketSphinx ends an utterance when told, so this is a
 * non-streaming STT (`recognize` per speech segment); the framework then wraps it in its StreamAdapter, which cuts
 * segments with the session's VAD (silero), as it does for any non-streaming STT. One recognition stream per call,
 * as our worker keeps (its normalisation adapts over the call); segments are recognised one at a time.
 */
import { type AudioBuffer, mergeFrames, normalizeLanguage, stt } from '@livekit/agents';
import { AudioResampler } from '@livekit/rtc-node';
import type { SttEvent, SttStream } from '@voiceroom/agent-core/stages';
import type { PocketSphinxStt } from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';

const ASR_RATE = 16_000;

export class PocketSphinxPeerStt extends stt.STT {
  label = 'voiceroom.PocketSphinx';
  readonly #stream: SttStream;
  readonly #events: AsyncIterator<SttEvent>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(recogniser: PocketSphinxStt) {
    super({ streaming: false, interimResults: false });
    this.#stream = recogniser.createStream();
    this.#events = this.#stream[Symbol.asyncIterator]();
  }

  protected async _recognize(buffer: AudioBuffer): Promise<stt.SpeechEvent> {
    const turn = this.#queue.then(() => this.#recognizeOne(buffer));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #recognizeOne(buffer: AudioBuffer): Promise<stt.SpeechEvent> {
    const frame = mergeFrames(buffer);
    const resampler = new AudioResampler(frame.sampleRate, ASR_RATE, frame.channels);
    for (const out of [...resampler.push(frame), ...resampler.flush()]) this.#stream.pushAudio(out.data);
    this.#stream.endUtterance();
    for (;;) {
      const next = await this.#events.next();
      if (next.done) throw new Error('the PocketSphinx stream closed during a recognition');
      if (next.value.type !== 'final') continue;
      const { text, confidence } = next.value;
      const durationS = frame.samplesPerChannel / frame.sampleRate;
      return {
        type: stt.SpeechEventType.FINAL_TRANSCRIPT,
        alternatives: [
          { language: normalizeLanguage('en-US'), text, startTime: 0, endTime: durationS, confidence },
        ],
      };
    }
  }

  stream(): stt.SpeechStream {
    throw new Error(
      'PocketSphinxPeerStt is non-streaming: the framework wraps it in stt.StreamAdapter with a VAD',
    );
  }

  override async close(): Promise<void> {
    this.#stream.close();
    await super.close();
  }
}
