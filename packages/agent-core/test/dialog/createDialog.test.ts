import { describe, expect, it } from 'vitest';
import { createDialog } from '../../src/dialog/index.ts';
import { pizzeria } from '../nlu/pizzeria.ts';

function configWith(dialog: Partial<ReturnType<typeof pizzeria>['dialog']>) {
  const config = pizzeria();
  config.dialog = { ...config.dialog, ...dialog };
  return config;
}

describe('createDialog', () => {
  it('builds the provider the agent configuration names', async () => {
    expect((await createDialog(pizzeria())).name).toBe('scripted');
    const openai = await createDialog(configWith({ provider: 'openai', apiKeyEnv: 'SOME_API_KEY' }), {
      env: { SOME_API_KEY: 'k', PROVIDER_API_KEY_ENVS: 'SOME_API_KEY' },
    });
    expect(openai.name).toBe('openai');
  });

  it('falls back to the scripted dialog, saying why, when the API key is missing', async () => {
    const warnings: string[] = [];
    const dialog = await createDialog(configWith({ provider: 'openai', apiKeyEnv: 'MISSING_API_KEY' }), {
      env: { PROVIDER_API_KEY_ENVS: 'MISSING_API_KEY' },
      onFallback: (f) => warnings.push(f.message),
    });
    expect(dialog.name).toBe('scripted');
    expect(warnings).toEqual([expect.stringContaining('MISSING_API_KEY')]);
  });

  it('falls back to the scripted dialog when the key variable or endpoint is not on the operator’s lists', async () => {
    const warnings: string[] = [];
    const env = { JWT_SECRET: 'x'.repeat(40), PROVIDER_BASE_URLS: 'http://127.0.0.1:9' };
    for (const dialog of [
      { provider: 'openai' as const, apiKeyEnv: 'JWT_SECRET', baseUrl: 'http://127.0.0.1:9' },
      { provider: 'openai' as const, apiKeyEnv: 'DEEPSEEK_API_KEY', baseUrl: 'http://127.0.0.1:10' },
      { provider: 'llama' as const, model: '../../etc/passwd' },
    ]) {
      const created = await createDialog(configWith(dialog), {
        env,
        onFallback: (f) => warnings.push(f.message),
      });
      expect(created.name).toBe('scripted');
    }
    expect(warnings).toEqual([
      expect.stringContaining('dialog.apiKeyEnv'),
      expect.stringContaining('dialog.baseUrl'),
      expect.stringContaining('dialog.model'),
    ]);
  });

  it('falls back to the scripted dialog when the local model cannot load', async () => {
    const warnings: string[] = [];
    const dialog = await createDialog(configWith({ provider: 'llama', model: '/nonexistent/tiny.gguf' }), {
      onFallback: (f) => warnings.push(f.message),
      localModel: async (_config, modelPath) => {
        throw new Error(`no such model file: ${modelPath}`);
      },
    });
    expect(dialog.name).toBe('scripted');
    expect(warnings).toEqual([expect.stringContaining('/nonexistent/tiny.gguf')]);
  });

  it('runs llama configurations only where a local model loader is given (the agent worker)', async () => {
    const warnings: string[] = [];
    const dialog = await createDialog(configWith({ provider: 'llama', model: 'tiny.gguf' }), {
      onFallback: (f) => warnings.push(f.message),
    });
    expect(dialog.name).toBe('scripted');
    expect(warnings).toEqual([expect.stringContaining('only in an agent worker')]);
  });
});
