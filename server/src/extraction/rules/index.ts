export { RulesExtractor, type RulesExtractorOptions } from './RulesExtractor.ts';
