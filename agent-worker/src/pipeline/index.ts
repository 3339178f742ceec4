import { NoiseSuppressor } from '../audio/NoiseSuppressor.ts';
import type { CallPipelineFactory } from '../worker/CallPipeline.ts';
import type { StageCache } from './StageCache.ts';
import { speakWith } from './sentenceSpeech.ts';
import { VoicePipeline } from './VoicePipeline.ts';

export { type CallStages, StageCache, type StageLease } from './StageCache.ts';
export { type PipelineEvent, VoicePipeline, type VoicePipelineOptions } from './VoicePipeline.ts';

/**
 * The worker's pipeline factory: the configured stages (loaded once per agent configuration by the worker's
 * `stages` cache, held until the call ends) in a VoicePipeline.
 */
export function voicePipelineFactory(stages: StageCache): CallPipelineFactory {
  return async ({ roomId, config, resume, emit, cancelOutput, logger }) => {
    const lease = await stages.acquire(config);
    const { vad, stt, tts, dialog } = lease.stages;
    let noiseSuppressor: NoiseSuppressor | undefined;
    try {
      if (config.asr.noiseSuppression) noiseSuppressor = await NoiseSuppressor.create();
      return new VoicePipeline({
        roomId,
        config,
        ...(resume ? { resume } : {}),
        vad,
        stt,
        fallbacks: lease.fallbacks,
        ...(noiseSuppressor ? { noiseSuppressor } : {}),
        tts,
        dialog,
        speak: speakWith(tts, config.tts.parallelism),
        emit,
        ...(cancelOutput ? { cancelOutput } : {}),
        onClosed: lease.release,
        logger: logger.child({ component: 'agent.pipeline' }),
      });
    } catch (error) {
      noiseSuppressor?.close();
      lease.release();
      throw error;
    }
  };
}
