import { describe, expect, it } from 'vitest';
import { AgentConfigSchema } from '../src/agentConfig.ts';
import { modelPath, providerPolicyFromEnv, providerViolations } from '../src/providerPolicy.ts';

const agent = (fields: Record<string, unknown>) =>
  AgentConfigSchema.parse({ id: 'a', name: 'A', greeting: 'Hi', ...fields });
const codes = (fields: Record<string, unknown>, env: Record<string, string> = {}) =>
  providerViolations(agent(fields), providerPolicyFromEnv(env, '/srv/models')).map(
    (v) => `${v.path} ${v.code}`,
  );

describe('provider policy', () => {
  it('allows the default DeepSeek endpoint and key, and the offline providers', () => {
    expect(codes({ dialog: { provider: 'openai' } })).toEqual([]);
    expect(
      codes({ asr: { provider: 'sherpa-onnx', model: 'zipformer-en-20m' }, tts: { provider: 'kokoro' } }),
    ).toEqual([]);
  });

  it('refuses key variables that are not declared *_API_KEY variables', () => {
    expect(codes({ dialog: { provider: 'openai', apiKeyEnv: 'JWT_SECRET' } })).toEqual([
      'dialog.apiKeyEnv provider_api_key_env_not_allowed',
    ]);
    // Named like a key but not declared by the operator.
    expect(codes({ dialog: { provider: 'openai', apiKeyEnv: 'OTHER_API_KEY' } })).toEqual([
      'dialog.apiKeyEnv provider_api_key_env_not_allowed',
    ]);
    expect(
      codes(
        { dialog: { provider: 'openai', apiKeyEnv: 'OTHER_API_KEY' } },
        { PROVIDER_API_KEY_ENVS: 'OTHER_API_KEY' },
      ),
    ).toEqual([]);
    expect(() => providerPolicyFromEnv({ PROVIDER_API_KEY_ENVS: 'JWT_SECRET' }, '/m')).toThrow(
      /PROVIDER_API_KEY_ENVS/,
    );
  });

  it('allows only listed base URLs: https anywhere, http to loopback outside production', () => {
    const dialog = (baseUrl: string) => ({ dialog: { provider: 'openai', baseUrl } });
    expect(codes(dialog('http://127.0.0.1:8080/v1'))).toEqual([
      'dialog.baseUrl provider_base_url_not_allowed',
    ]);
    expect(
      codes(dialog('http://127.0.0.1:8080/v1/'), { PROVIDER_BASE_URLS: 'http://127.0.0.1:8080/v1' }),
    ).toEqual([]);
    expect(codes(dialog('https://api.deepseek.com.evil.example'))).toEqual([
      'dialog.baseUrl provider_base_url_not_allowed',
    ]);
    expect(codes(dialog('https://user:pw@api.deepseek.com'))).toEqual([
      'dialog.baseUrl provider_base_url_not_allowed',
    ]);
    expect(() => providerPolicyFromEnv({ PROVIDER_BASE_URLS: 'http://10.0.0.5/v1' }, '/m')).toThrow(
      /PROVIDER_BASE_URLS/,
    );
    expect(() =>
      providerPolicyFromEnv({ PROVIDER_BASE_URLS: 'http://127.0.0.1:8080', NODE_ENV: 'production' }, '/m'),
    ).toThrow(/https/);
  });

  it('keeps model paths inside the models directory', () => {
    expect(modelPath('kokoro-en', '/srv/models/')).toBe('/srv/models/kokoro-en');
    expect(modelPath('/srv/models/llm/q.gguf', '/srv/models')).toBe('/srv/models/llm/q.gguf');
    expect(modelPath('../secrets', '/srv/models')).toBeUndefined();
    expect(modelPath('/etc/passwd', '/srv/models')).toBeUndefined();
    expect(modelPath('/srv/models-other/x', '/srv/models')).toBeUndefined();
    expect(
      codes({ dialog: { provider: 'llama', model: '/etc/shadow' }, tts: { model: 'a/../../b' } }),
    ).toEqual(['dialog.model provider_model_path_not_allowed', 'tts.model provider_model_path_not_allowed']);
  });
});
