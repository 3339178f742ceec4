export * from './agentConfig.ts';
export * from './callEvents.ts';
