import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Logger } from 'pino';
import type { CallPipelineFactory } from '../worker/CallPipeline.ts';
import { speakWith } from './sentenceSpeech.ts';
import { StageCache } from './stageCache.ts';
import { VoicePipeline } from './voicePipeline.ts';

export { StageCache } from './stageCache.ts';
export { type PipelineEvent, VoicePipeline, type VoicePipelineOptions } from './voicePipeline.ts';

let stages: StageCache | undefined;

function stageCache(logger?: Pick<Logger, 'warn' | 'error'>): StageCache {
  stages ??= new StageCache({ logger });
  return stages;
}

/**
 * Loads an agent configuration's models now (the worker calls it at start for its default agent), so the first
 * call's greeting does not wait for them.
 */
export async function warmUpPipeline(
  config: AgentConfig,
  logger?: Pick<Logger, 'warn' | 'error'>,
): Promise<void> {
  await stageCache(logger).get(config);
}

/** The worker's pipeline factory: the configured stages (loaded once per agent configuration) in a VoicePipeline. */
export const createPipelineForCall: CallPipelineFactory = async ({ roomId, config, emit, logger }) => {
  const { vad, stt, tts, dialog } = await stageCache(logger).get(config);
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
