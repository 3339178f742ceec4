import type { AgentConfig } from './agentConfig.ts';
import { CodedError } from './errors.ts';

/**
 * What an agent configuration may point its providers at. Config editors choose among what the operator declared:
 * API keys only from variables named `*_API_KEY` that the operator listed (PROVIDER_API_KEY_ENVS), base URLs only from
 * PROVIDER_BASE_URLS (https, or http to loopback outside production), model files only inside the models directory.
 * Pure (no Node imports): the server checks it when a configuration is stored, the agent worker and the server's text
 * conversations check it again before a key is read or a model loaded.
 */
export interface ProviderPolicy {
  apiKeyEnvs: readonly string[];
  /** Normalised: origin + path without trailing slashes. */
  baseUrls: readonly string[];
  /** Absolute path of the models directory (VOICEROOM_MODELS_DIR). */
  modelsDir: string;
  production: boolean;
}

export const DEFAULT_DIALOG_BASE_URL = 'https://api.deepseek.com';
export const DEFAULT_DIALOG_API_KEY_ENV = 'DEEPSEEK_API_KEY';
const API_KEY_ENV_NAME = /^[A-Z][A-Z0-9_]*_API_KEY$/;
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export type ProviderViolationCode =
  | 'provider_api_key_env_not_allowed'
  | 'provider_base_url_not_allowed'
  | 'provider_model_path_not_allowed';

/** One field of an agent configuration (or one operator variable) that the policy refuses. */
export interface ProviderViolation {
  path: string;
  code: ProviderViolationCode;
  message: string;
}

export class ProviderPolicyError extends CodedError<'provider_policy_invalid'> {
  readonly violations: ProviderViolation[];

  constructor(violations: ProviderViolation[]) {
    super('provider_policy_invalid', violations.map((v) => `${v.path}: ${v.message}`).join('; '), {
      details: violations,
    });
    this.name = 'ProviderPolicyError';
    this.violations = violations;
  }
}

/**
 * Reads PROVIDER_API_KEY_ENVS and PROVIDER_BASE_URLS (comma-separated) and NODE_ENV; throws ProviderPolicyError naming
 * the variable when an entry itself breaks the rules. `modelsDir` must be absolute (the caller resolves it).
 */
export function providerPolicyFromEnv(
  env: Record<string, string | undefined>,
  modelsDir: string,
): ProviderPolicy {
  const production = env.NODE_ENV === 'production';
  const list = (name: string, fallback: string) =>
    (env[name]?.trim() ? (env[name] as string) : fallback)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const violations: ProviderViolation[] = [];
  const apiKeyEnvs = list('PROVIDER_API_KEY_ENVS', DEFAULT_DIALOG_API_KEY_ENV);
  for (const name of apiKeyEnvs) {
    if (!API_KEY_ENV_NAME.test(name)) {
      violations.push({
        path: 'PROVIDER_API_KEY_ENVS',
        code: 'provider_api_key_env_not_allowed',
        message: `${name} is not a key variable: list only variables named like DEEPSEEK_API_KEY (ending in _API_KEY)`,
      });
    }
  }
  const baseUrls: string[] = [];
  for (const entry of list('PROVIDER_BASE_URLS', DEFAULT_DIALOG_BASE_URL)) {
    const normalised = normaliseBaseUrl(entry, production);
    if (typeof normalised === 'string') baseUrls.push(normalised);
    else violations.push({ path: 'PROVIDER_BASE_URLS', ...normalised });
  }
  if (!modelsDir.startsWith('/')) {
    violations.push({
      path: 'VOICEROOM_MODELS_DIR',
      code: 'provider_model_path_not_allowed',
      message: `${modelsDir} is not an absolute path`,
    });
  }
  if (violations.length > 0) throw new ProviderPolicyError(violations);
  return { apiKeyEnvs, baseUrls, modelsDir: trimSlashes(modelsDir), production };
}

/** The provider fields only admins may change: where keys, endpoints and model files come from. */
export function providerSettings(config: AgentConfig) {
  const { dialog, asr, tts } = config;
  return {
    dialog: {
      provider: dialog.provider,
      model: dialog.model,
      baseUrl: dialog.baseUrl,
      apiKeyEnv: dialog.apiKeyEnv,
    },
    asr: { provider: asr.provider, model: asr.model },
    tts: { provider: tts.provider, model: tts.model },
  };
}

/** Every provider field of `config` the policy refuses (empty when the configuration may be stored and used). */
export function providerViolations(config: AgentConfig, policy: ProviderPolicy): ProviderViolation[] {
  const violations: ProviderViolation[] = [];
  const { dialog } = config;
  if (dialog.provider === 'openai') {
    const keyEnv = dialog.apiKeyEnv ?? DEFAULT_DIALOG_API_KEY_ENV;
    if (!API_KEY_ENV_NAME.test(keyEnv) || !policy.apiKeyEnvs.includes(keyEnv)) {
      violations.push({
        path: 'dialog.apiKeyEnv',
        code: 'provider_api_key_env_not_allowed',
        message: `${keyEnv} is not a provider key variable the operator declared (allowed: ${policy.apiKeyEnvs.join(', ')}); pick one of those or ask the operator to add it to PROVIDER_API_KEY_ENVS`,
      });
    }
    const baseUrl = normaliseBaseUrl(dialog.baseUrl ?? DEFAULT_DIALOG_BASE_URL, policy.production);
    if (typeof baseUrl !== 'string' || !policy.baseUrls.includes(baseUrl)) {
      violations.push({
        path: 'dialog.baseUrl',
        code: 'provider_base_url_not_allowed',
        message: `${dialog.baseUrl ?? DEFAULT_DIALOG_BASE_URL} is not an endpoint the operator allowed (allowed: ${policy.baseUrls.join(', ')}); pick one of those or ask the operator to add it to PROVIDER_BASE_URLS`,
      });
    }
  }
  const models: [string, string | undefined][] = [
    ['dialog.model', dialog.provider === 'llama' ? dialog.model : undefined],
    ['asr.model', config.asr.model],
    ['tts.model', config.tts.model],
  ];
  for (const [path, name] of models) {
    if (name !== undefined && modelPath(name, policy.modelsDir) === undefined) {
      violations.push({
        path,
        code: 'provider_model_path_not_allowed',
        message: `${name} is outside the models directory: give a path relative to it (no ..)`,
      });
    }
  }
  return violations;
}

/** Throws ProviderPolicyError unless every provider field of `config` is allowed. */
export function assertProviderPolicy(config: AgentConfig, policy: ProviderPolicy): void {
  const violations = providerViolations(config, policy);
  if (violations.length > 0) throw new ProviderPolicyError(violations);
}

/**
 * The absolute path of a model file or directory named relative to the models directory (an absolute path is
 * accepted only inside it); undefined when it would leave the directory.
 */
export function modelPath(name: string, modelsDir: string): string | undefined {
  const root = trimSlashes(modelsDir);
  if (name.includes('\0') || name.includes('\\')) return undefined;
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return undefined;
  if (name.startsWith('/')) {
    const absolute = `/${segments.join('/')}`;
    return absolute === root || absolute.startsWith(`${root}/`) ? absolute : undefined;
  }
  return segments.length === 0 ? root : `${root}/${segments.join('/')}`;
}

/** Like modelPath but throws ProviderPolicyError naming the field. */
export function requireModelPath(field: string, name: string, modelsDir: string): string {
  const resolved = modelPath(name, modelsDir);
  if (resolved === undefined) {
    throw new ProviderPolicyError([
      {
        path: field,
        code: 'provider_model_path_not_allowed',
        message: `${name} is outside the models directory ${modelsDir}: give a path relative to it (no ..)`,
      },
    ]);
  }
  return resolved;
}

function normaliseBaseUrl(
  text: string,
  production: boolean,
): string | { code: 'provider_base_url_not_allowed'; message: string } {
  const refuse = (why: string) => ({
    code: 'provider_base_url_not_allowed' as const,
    message: `${text} ${why}`,
  });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('is not a URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    return refuse('must not carry credentials, a query or a fragment');
  }
  const loopback = LOOPBACK_HOSTS.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && !production)) {
    return refuse('must use https (http only to a loopback address outside production)');
  }
  return `${url.origin}${trimSlashes(url.pathname)}`;
}

function trimSlashes(text: string): string {
  return text.replace(/\/+$/, '');
}
