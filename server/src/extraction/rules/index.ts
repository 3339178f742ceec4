export { DEFAULT_AGENT_FILE, defaultAgent } from './defaultAgent.ts';
export { RulesExtractor, type RulesExtractorOptions } from './RulesExtractor.ts';
