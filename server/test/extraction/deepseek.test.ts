import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeChatCompletions } from '../../../test/helpers/fakeChatCompletions.ts';
import { DeepSeekExtractor } from '../../src/extraction/DeepSeekExtractor.ts';
import { ExtractionError } from '../../src/extraction/errors.ts';
import type { ExtractionResult, TranscriptLine } from '../../src/extraction/schema.ts';

const transcript: TranscriptLine[] = [
  { speaker: 'agent', text: "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?" },
  { speaker: 'customer', text: 'Two large pepperoni pizzas please, for Anna at 12 Oak Street.' },
];

const good: ExtractionResult = {
  customer: { name: 'Anna', address: '12 Oak Street', phone: null, email: null },
  items: [{ name: 'pepperoni pizza', size: 'large', quantity: 2, unit_price: 15.5 }],
  currency: 'USD',
  confidence: 0.9,
  notes: null,
};

let fake: FakeChatCompletions;
beforeEach(async () => {
  fake = await new FakeChatCompletions({ apiKey: 'sk-test' }).start();
});
afterEach(async () => {
  await fake.stop();
});

function extractor(overrides: Partial<ConstructorParameters<typeof DeepSeekExtractor>[0]> = {}) {
  return new DeepSeekExtractor({
    baseUrl: fake.baseUrl,
    model: 'deepseek-chat',
    apiKey: 'sk-test',
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  return error as ExtractionError;
}

describe('DeepSeekExtractor', () => {
  it('sends the transcript as data in JSON mode with the key, and returns the validated result', async () => {
    fake.script({ kind: 'reply', content: good });
    expect(await extractor().extract(transcript, AbortSignal.timeout(5000))).toEqual(good);
    const [request] = fake.requests;
    expect(request?.authorization).toBe('Bearer sk-test');
    expect(request?.body.model).toBe('deepseek-chat');
    expect(request?.body.response_format).toEqual({ type: 'json_object' });
    expect(request?.body.messages[0]?.role).toBe('system');
    expect(JSON.parse(request?.body.messages[1]?.content ?? '')).toEqual(transcript);
  });

  it('sends invalid output back with the validation error and accepts the corrected answer', async () => {
    fake.script(
      { kind: 'reply', content: 'Sure! Here is the order: two pepperoni' },
      { kind: 'reply', content: { ...good, confidence: 7 } },
      { kind: 'reply', content: good },
    );
    expect(await extractor().extract(transcript, AbortSignal.timeout(5000))).toEqual(good);
    expect(fake.requests).toHaveLength(3);
    const second = fake.requests[1]?.body.messages ?? [];
    expect(second.at(-1)?.content).toMatch(/not valid JSON/);
    const third = fake.requests[2]?.body.messages ?? [];
    expect(third.at(-1)?.content).toMatch(/confidence/);
  });

  it('fails with invalid_output and the last validation error when the model never complies', async () => {
    fake.script(...Array.from({ length: 3 }, () => ({ kind: 'reply' as const, content: { items: 'lots' } })));
    const error = await failure(
      extractor({ validationRetries: 2 }).extract(transcript, AbortSignal.timeout(5000)),
    );
    expect(error.code).toBe('invalid_output');
    expect(error.message).toMatch(/items/);
    expect(fake.requests).toHaveLength(3);
  });

  it('reports 429 as retryable with the server-requested delay', async () => {
    fake.script({ kind: 'error', status: 429, retryAfterS: 3 });
    const error = await failure(extractor().extract(transcript, AbortSignal.timeout(5000)));
    expect(error).toMatchObject({ code: 'provider_rate_limited', retryable: true, retryAfterMs: 3000 });
  });

  it('reports 500, a non-JSON body and a refused connection as retryable', async () => {
    fake.script({ kind: 'error', status: 500 }, { kind: 'garbage' });
    expect(await failure(extractor().extract(transcript, AbortSignal.timeout(5000)))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });
    expect(await failure(extractor().extract(transcript, AbortSignal.timeout(5000)))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });
    await fake.stop();
    const refused = await failure(extractor().extract(transcript, AbortSignal.timeout(5000)));
    expect(refused).toMatchObject({ code: 'provider_unreachable', retryable: true });
    expect(refused.message).toMatch(/cannot reach/);
  });

  it('times out a server that never answers', async () => {
    fake.script({ kind: 'hang' });
    const error = await failure(extractor({ timeoutMs: 200 }).extract(transcript, AbortSignal.timeout(5000)));
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true });
  });

  it('does not retry a rejected key', async () => {
    const error = await failure(
      extractor({ apiKey: 'wrong' }).extract(transcript, AbortSignal.timeout(5000)),
    );
    expect(error).toMatchObject({ code: 'provider_rejected', retryable: false });
    expect(error.message).toMatch(/DEEPSEEK_API_KEY/);
  });
});
