import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitFinalTranscript } from '../helpers/transcripts.ts';
import { type ApiHarness, startApiHarness } from './apiHarness.ts';

let h: ApiHarness;
beforeAll(async () => {
  // The default agent (pizzeria) redacts PII; no LLM configured, so the rules extractor runs.
  h = await startApiHarness({ runExtractionWorker: true });
});
afterAll(async () => {
  await h?.close();
});

const sql = <T>(query: string, params: unknown[] = []) => h.db.orm.em.fork().execute<T[]>(query, params);

interface CallBody {
  transcript: { speaker: string; text: string; redacted: boolean }[];
  extraction: {
    status: string;
    order: { customer: { name: string | null; phone: string | null; email: string | null } } | null;
  } | null;
}

describe('a delivery call with PII redaction on', () => {
  it('stores and serves the redacted transcript, extracts the phone and email, then forgets the original words', async () => {
    const started = await h.request('POST', '/api/calls', { body: { displayName: 'Maria' } });
    const { callId, roomId } = (await started.json()) as { callId: string; roomId: string };
    const lines: ['agent' | 'customer', string][] = [
      ['agent', "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?"],
      ['customer', 'Two large pepperoni pizzas for delivery please.'],
      ['agent', 'Can I get a name for the order?'],
      ['customer', 'Maria Lopez'],
      ['agent', 'And a phone number?'],
      ['customer', 'It is 415 555 1234, and my email is maria@example.com'],
    ];
    emitFinalTranscript(h.bus, roomId, lines);
    await h.records.recorder.idle();
    // During the call only the redacted segment keeps its original words, apart from the stored text.
    expect(
      await sql('select text, extraction_text from transcript_segments where call_id = ? and redacted = 1', [
        callId,
      ]),
    ).toEqual([
      {
        text: 'It is [phone], and my email is [email]',
        extraction_text: 'It is 415 555 1234, and my email is maria@example.com',
      },
    ]);
    expect(
      await sql(
        'select count(*) as n from transcript_segments where call_id = ? and extraction_text is not null',
        [callId],
      ),
    ).toEqual([{ n: 1 }]);

    h.bus.emit('room.closed', { roomId, reason: 'hangup' });
    const token = await h.token('admin');
    const read = async () => (await h.request('GET', `/api/calls/${callId}`, { token })).text();
    const deadline = Date.now() + 15_000;
    let raw = await read();
    while ((JSON.parse(raw) as CallBody).extraction?.status !== 'succeeded' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      raw = await read();
    }
    const body = JSON.parse(raw) as CallBody;
    expect(body.extraction?.status).toBe('succeeded');

    // The API's transcript is the redacted one, and the original words appear nowhere in the response.
    expect(body.transcript.at(-1)).toMatchObject({
      text: 'It is [phone], and my email is [email]',
      redacted: true,
    });
    expect(JSON.stringify(body.transcript)).not.toMatch(/415|555|1234|maria@/);
    expect(raw).not.toMatch(/extraction_?text/i);
    expect(raw).not.toContain('415 555 1234');

    // Extraction read the original words: the order's customer has the phone and email.
    expect(body.extraction?.order?.customer).toMatchObject({
      name: 'Maria Lopez',
      phone: '415-555-1234',
      email: 'maria@example.com',
    });
    expect(
      await sql(
        'select c.phone, c.email from customers c join orders o on o.customer_id = c.id where o.call_id = ?',
        [callId],
      ),
    ).toEqual([{ phone: '415-555-1234', email: 'maria@example.com' }]);

    // The job succeeded, so the unredacted copies are gone; the stored transcript stays.
    expect(
      await sql(
        'select count(*) as n, count(extraction_text) as kept from transcript_segments where call_id = ?',
        [callId],
      ),
    ).toEqual([{ n: lines.length, kept: 0 }]);
  });
});
