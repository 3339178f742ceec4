import { resolve } from 'node:path';
import { type ProviderPolicy, providerPolicyFromEnv } from '@voiceroom/protocol';

/** Where downloaded models live: VOICEROOM_MODELS_DIR, else ./models under the working directory. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.VOICEROOM_MODELS_DIR ?? 'models');
}

/** The operator's provider policy (PROVIDER_API_KEY_ENVS, PROVIDER_BASE_URLS, the models directory) from `env`. */
export function defaultProviderPolicy(env: NodeJS.ProcessEnv = process.env): ProviderPolicy {
  return providerPolicyFromEnv(env, defaultModelsDir(env));
}
