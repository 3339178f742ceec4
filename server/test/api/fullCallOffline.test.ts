import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitFinalTranscript } from '../helpers/transcripts.ts';
import { type ApiHarness, startApiHarness } from './apiHarness.ts';

let h: ApiHarness;
beforeAll(async () => {
  // No DeepSeek key and no local model: the rule-based extractor, as on an offline machine.
  h = await startApiHarness({ runExtractionWorker: true });
});
afterAll(async () => {
  await h?.close();
});

describe('a full call with no LLM configured', () => {
  it('is extracted by the rules from the agent menu after hangup', async () => {
    const started = await h.request('POST', '/api/calls', { body: { displayName: 'Maria' } });
    const { callId, roomId } = (await started.json()) as { callId: string; roomId: string };
    const lines: ['agent' | 'customer', string][] = [
      ['agent', "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?"],
      ['customer', 'I would like two large pepperoni pizzas and a garlic bread.'],
      ['agent', 'Can I get a name for the order?'],
      ['customer', 'Maria'],
    ];
    emitFinalTranscript(h.bus, roomId, lines);
    h.bus.emit('room.closed', { roomId, reason: 'hangup' });
    const token = await h.token('admin');
    const deadline = Date.now() + 15_000;
    type Extraction = {
      status: string;
      source: string;
      order: { total: string; items: { name: string; quantity: number; unitPrice: string }[] } | null;
    };
    const read = async () =>
      (
        (await (await h.request('GET', `/api/calls/${callId}`, { token })).json()) as {
          extraction: Extraction | null;
        }
      ).extraction;
    let extraction = await read();
    while (extraction?.status !== 'succeeded' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      extraction = (
        (await (await h.request('GET', `/api/calls/${callId}`, { token })).json()) as {
          extraction: typeof extraction;
        }
      ).extraction;
    }
    expect(extraction).toMatchObject({ status: 'succeeded', source: 'rules' });
    expect(extraction?.order?.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'pepperoni pizza', quantity: 2, unitPrice: '15.50' }),
        expect.objectContaining({ name: 'garlic bread', quantity: 1, unitPrice: '4.50' }),
      ]),
    );
    expect(extraction?.order?.total).toBe('35.50');
  });
});
