export { AsyncEventQueue } from './AsyncEventQueue.ts';
export type * from './types.ts';
export {
  type FallbackOptions,
  type ProviderChoice,
  type StageFallback,
  withFallback,
} from './withFallback.ts';
