import { describe, expect, it } from 'vitest';
import { createDialog } from '../../src/stages/dialog/index.ts';
import { pizzeria } from '../nlu/pizzeria.ts';

function configWith(dialog: Partial<ReturnType<typeof pizzeria>['dialog']>) {
  const config = pizzeria();
  config.dialog = { ...config.dialog, ...dialog };
  return config;
}

describe('createDialog', () => {
  it('builds the provider the agent configuration names', async () => {
    expect((await createDialog(pizzeria())).name).toBe('scripted');
    const openai = await createDialog(configWith({ provider: 'openai', apiKeyEnv: 'SOME_KEY' }), {
      env: { SOME_KEY: 'k' },
    });
    expect(openai.name).toBe('openai');
  });

  it('falls back to the scripted dialog, saying why, when the API key is missing', async () => {
    const warnings: string[] = [];
    const dialog = await createDialog(configWith({ provider: 'openai', apiKeyEnv: 'MISSING_KEY' }), {
      env: {},
      onFallback: (f) => warnings.push(f.message),
    });
    expect(dialog.name).toBe('scripted');
    expect(warnings).toEqual([expect.stringContaining('MISSING_KEY')]);
  });

  it('falls back to the scripted dialog when the local model file is missing', async () => {
    const warnings: string[] = [];
    const dialog = await createDialog(configWith({ provider: 'llama', model: '/nonexistent/tiny.gguf' }), {
      onFallback: (f) => warnings.push(f.message),
    });
    expect(dialog.name).toBe('scripted');
    expect(warnings).toEqual([expect.stringContaining('/nonexistent/tiny.gguf')]);
  });
});
