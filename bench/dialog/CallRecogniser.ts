import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SttEvent } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import { NoiseSuppressor } from '../../agent-worker/src/audio/NoiseSuppressor.ts';
import { listeningFor } from '../../agent-worker/src/pipeline/listeningFor.ts';
import { PocketSphinxStt } from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { resampleTo16k } from '../../agent-worker/test/stages/fixtures/speech.ts';
import { denoisedLine } from '../denoisedLine.ts';
import { callNoiseBed, renderUtterance } from '../robustness/callerAudio.ts';
import type { Conversation } from '../robustness/conversation.ts';
import type { Heard } from '../robustness/heard.ts';
import type { Hear } from './dialogCall.ts';

/** One call's ears: `hear` its caller's lines, `close` when the call ends. */
export interface CallHearing {
  hear: Hear;
  close(): void;
}

/**
 * The agent's PocketSphinx recogniser as bench:dialog hears callers with it: each caller line rendered as the
 * robustness caller says it (voice, rate, noise), resampled to 16 kHz and decoded whole on one stream per call, with
 * the slot model the pipeline would pick after the agent's reply.
 *
 * Every call decodes on a decoder built for it (no idle decoders kept): a pooled decoder carries the cepstral means
 * of the calls it decoded before, and which one a call gets depends on when the pool's timer built a spare, so a
 * call's words would depend on the calls run before it and on the machine's speed, and `--from` parts would not be
 * the calls of a whole run. Each call starts as a worker's first call does (the model's means, cold second pass).
 * `denoise`: each call's lines go through one noise suppressor first (NoiseSuppressor.ts, as the live path runs it).
 */
export class CallRecogniser {
  readonly #stt: PocketSphinxStt;
  readonly #dir: string;
  readonly #denoise: boolean;

  static async create(config: AgentConfig, options: { denoise?: boolean } = {}): Promise<CallRecogniser> {
    const stt = await PocketSphinxStt.create({ domain: config, idleDecoders: 0 });
    const dir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-dialog-'));
    return new CallRecogniser(stt, dir, options.denoise ?? false);
  }

  private constructor(stt: PocketSphinxStt, dir: string, denoise: boolean) {
    this.#stt = stt;
    this.#dir = dir;
    this.#denoise = denoise;
  }

  call(conversation: Conversation): CallHearing {
    const bed = callNoiseBed(conversation, this.#dir);
    const stream = this.#stt.createStream();
    const events = stream[Symbol.asyncIterator]();
    const suppressor = this.#denoise ? NoiseSuppressor.create() : undefined;
    const hear: Hear = async (utterance, agentReply) => {
      const audio = await renderUtterance(utterance, conversation.voice, conversation.wpm, bed, this.#dir);
      stream.expect?.(listeningFor(agentReply));
      const pcm = await resampleTo16k(audio.pcm, 48_000);
      stream.pushAudio(suppressor ? denoisedLine(await suppressor, pcm) : pcm);
      stream.endUtterance();
      for (let r = await events.next(); !r.done; r = await events.next()) {
        const event: SttEvent = r.value;
        if (event.type === 'final')
          return {
            text: event.text,
            alternatives: event.alternatives ?? [],
            confidence: event.confidence,
          } satisfies Heard;
      }
      throw new Error('the recognition stream ended without a final');
    };
    const close = () => {
      stream.close();
      suppressor?.then((s) => s.close());
    };
    return { hear, close };
  }

  async close(): Promise<void> {
    this.#stt.close();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
