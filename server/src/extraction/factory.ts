import type { AgentConfig } from '@voiceroom/protocol';
import type { ServerConfig } from '../config.ts';
import { DeepSeekExtractor } from './DeepSeekExtractor.ts';
import { LocalLlmExtractor } from './LocalLlmExtractor.ts';
import { RulesExtractor } from './rules/index.ts';
import type { Extractor } from './schema.ts';

/** Gives the extractor for one call, knowing its agent (the rule-based extractor needs the agent's menu). */
export type ExtractorProvider = (agent: AgentConfig | undefined) => Promise<Extractor>;

export type ExtractionConfig = ServerConfig['extraction'];

/** Which extractor the configuration selects: DeepSeek with a key, else the local model with a path, else rules. */
export function extractorKind(config: ExtractionConfig): 'deepseek' | 'local' | 'rules' {
  if (config.deepseekApiKey) return 'deepseek';
  if (config.localModelPath) return 'local';
  return 'rules';
}

export function createExtractor(config: ExtractionConfig): ExtractorProvider {
  switch (extractorKind(config)) {
    case 'deepseek': {
      const deepseek = new DeepSeekExtractor({
        baseUrl: config.deepseekBaseUrl,
        model: config.deepseekModel,
        apiKey: config.deepseekApiKey as string,
      });
      return async () => deepseek;
    }
    case 'local': {
      const local = new LocalLlmExtractor({ modelPath: config.localModelPath as string });
      return async () => local;
    }
    case 'rules':
      return async (agent) =>
        new RulesExtractor(agent ? { menu: agent.menu, knowledge: agent.knowledge } : {});
  }
}
