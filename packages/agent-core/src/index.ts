export { defaultModelsDir, defaultProviderPolicy } from './operatorPolicy.ts';
