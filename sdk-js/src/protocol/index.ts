export * from './agentConfig.ts';
export * from './agentLink.ts';
export * from './callEvents.ts';
export * from './console.ts';
export * from './grants.ts';
export * from './livekit.ts';
export * from './providerPolicy.ts';
export * from './signaling.ts';
