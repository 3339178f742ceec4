import type { CallPipelineFactory } from '../worker/CallPipeline.ts';
import { speakWith } from './sentenceSpeech.ts';
import { StageCache } from './stageCache.ts';
import { VoicePipeline } from './voicePipeline.ts';

export { StageCache } from './stageCache.ts';
export { type PipelineEvent, VoicePipeline, type VoicePipelineOptions } from './voicePipeline.ts';

let stages: StageCache | undefined;

/** The worker's pipeline factory: the configured stages (loaded once per agent configuration) in a VoicePipeline. */
export const createPipelineForCall: CallPipelineFactory = async ({ roomId, config, emit, logger }) => {
  stages ??= new StageCache({ logger });
  const { vad, stt, tts, dialog } = await stages.get(config);
  return new VoicePipeline({
    roomId,
    config,
    vad,
    stt,
    tts,
    dialog,
    speak: speakWith(tts, config.tts.parallelism),
    emit,
    logger: logger.child({ component: 'agent.pipeline' }),
  });
};
