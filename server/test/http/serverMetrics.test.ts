import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ agent: { pipeline: 'echo', capacity: 3 } });
}, 90_000);
afterAll(async () => {
  await app?.close();
});

describe('the running server /metrics', () => {
  it('reports the agent workers and their free capacity next to the SFU figures', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/^voiceroom_agent_capacity 3$/m);
    expect(text).toMatch(/^voiceroom_agent_workers 1$/m);
    expect(text).toMatch(/^voiceroom_mediasoup_workers /m);
  });
});
