import { describe, expect, it } from 'vitest';
import { DeepSeekExtractor } from '../../src/extraction/DeepSeekExtractor.ts';
import { ExtractionError } from '../../src/extraction/errors.ts';
import { createExtractor, extractorKind } from '../../src/extraction/factory.ts';
import { LocalLlmExtractor } from '../../src/extraction/LocalLlmExtractor.ts';
import { RulesExtractor } from '../../src/extraction/rules/index.ts';
import { PIZZA_CALL } from './seed.ts';

const base = { deepseekBaseUrl: 'http://127.0.0.1:9', deepseekModel: 'deepseek-chat', maxAttempts: 3 };

describe('createExtractor', () => {
  it('picks DeepSeek when a key is set, else the local model when a path is set, else rules', async () => {
    const both = { ...base, deepseekApiKey: 'k', localModelPath: '/models/x.gguf' };
    expect(extractorKind(both)).toBe('deepseek');
    expect(await createExtractor(both)(undefined)).toBeInstanceOf(DeepSeekExtractor);
    const local = { ...base, localModelPath: '/models/x.gguf' };
    expect(extractorKind(local)).toBe('local');
    expect(await createExtractor(local)(undefined)).toBeInstanceOf(LocalLlmExtractor);
    expect(extractorKind(base)).toBe('rules');
    expect(await createExtractor(base)(undefined)).toBeInstanceOf(RulesExtractor);
  });

  it('gives the rules extractor the call agent menu, so prices come from that menu', async () => {
    const provider = createExtractor(base);
    const menu = {
      currency: 'EUR',
      items: [
        { name: 'pepperoni pizza', aliases: [], sizes: { large: 20 } },
        { name: 'coke', aliases: [], price: 3 },
      ],
    };
    const extractor = await provider({ menu } as never);
    const result = await extractor.extract(PIZZA_CALL, AbortSignal.timeout(5000));
    expect(result.currency).toBe('EUR');
    expect(result.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'pepperoni pizza', quantity: 2, unit_price: 20 }),
      ]),
    );
  });

  it('a local model that cannot load fails with a non-retryable error that says how to fix it', async () => {
    const extractor = await createExtractor({ ...base, localModelPath: '/nonexistent/model.gguf' })(
      undefined,
    );
    const error = await extractor.extract(PIZZA_CALL, AbortSignal.timeout(30_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractionError);
    expect(error).toMatchObject({ code: 'local_model_unavailable', retryable: false });
    expect((error as Error).message).toMatch(/LLM_MODEL_PATH/);
  });
});
