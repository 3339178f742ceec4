/**
 * The peer's TTS slot: our flite voice behind @livekit/agents' TTS interface. Non-streaming (text in, audio out),
 * so the framework splits the LLM's text into sentences with its own tokenizer (tts.StreamAdapter), as it does for
 * any non-streaming TTS; our worker also speaks sentence by sentence.
 */
import { randomUUID } from 'node:crypto';
import { type APIConnectOptions, tts } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import type { Tts } from '@voiceroom/agent-core/stages';

export class FlitePeerTts extends tts.TTS {
  label = 'voiceroom.Flite';
  readonly #voice: Tts;

  constructor(voice: Tts) {
    super(voice.sampleRate, 1, { streaming: false });
    this.#voice = voice;
  }

  synthesize(text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal): tts.ChunkedStream {
    return new FliteChunkedStream(this.#voice, text, this, connOptions, abortSignal);
  }

  stream(): tts.SynthesizeStream {
    throw new Error('FlitePeerTts is non-streaming: the framework wraps it in tts.StreamAdapter');
  }
}

class FliteChunkedStream extends tts.ChunkedStream {
  label = 'voiceroom.Flite';
  readonly #voice: Tts;

  constructor(
    voice: Tts,
    text: string,
    owner: tts.TTS,
    connOptions?: APIConnectOptions,
    signal?: AbortSignal,
  ) {
    super(text, owner, connOptions, signal);
    this.#voice = voice;
  }

  protected async run(): Promise<void> {
    const requestId = randomUUID();
    // the last chunk goes out marked final, so one is held back
    let held: Int16Array | undefined;
    // a copy: rtc-node hands a frame's whole underlying buffer to its native side, and flite's chunks are views
    const put = (pcm: Int16Array, final: boolean) =>
      this.queue.put({
        requestId,
        segmentId: requestId,
        frame: new AudioFrame(pcm.slice(), this.#voice.sampleRate, 1, pcm.length),
        final,
      });
    for await (const pcm of this.#voice.synthesize(this.inputText, this.abortSignal)) {
      if (held) put(held, false);
      held = pcm;
    }
    if (held && !this.abortSignal.aborted) put(held, true);
  }
}
