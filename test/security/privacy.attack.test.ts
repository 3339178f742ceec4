/**
 * Item 7 (privacy) against the real server (MariaDB, Redis, mediasoup, socket.io signaling, the in-process extraction
 * worker with a loopback DeepSeek fake): what a caller says and gives is not stored in the clear, audit rows carry no
 * customer data and expire, and a caller cannot tell that staff listen or whisper.
 */
import type { TranscriptEvent } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlAgentConfigStore } from '../../server/src/calls/AgentConfigStore.ts';
import { RetentionSweeper } from '../../server/src/privacy/RetentionSweeper.ts';
import { PIZZA_RESULT } from '../../server/test/extraction/seed.ts';
import {
  connectRtc,
  FAKE_DTLS,
  joinRoom,
  opusRtpParameters,
  type RtcTestClient,
} from '../../server/test/signaling/rtcClient.ts';
import { FakeChatCompletions } from '../helpers/fakeChatCompletions.ts';
import { type SecurityApp, startSecurityApp } from '../helpers/securityApp.ts';

const CARD_NOTES = 'customer read card 4111 1111 1111 1111, code 123, to pay on delivery';
let fake: FakeChatCompletions;
let app: SecurityApp;
let supervisor: string;
let call: { callId: string; roomId: string };
const clients: RtcTestClient[] = [];

async function callDetail(): Promise<{
  transcript: { segmentId: string; text: string }[];
  extraction?: { jobId?: number; order?: { notes: string | null } | null } | null;
}> {
  const res = await app.request('GET', `/api/calls/${call.callId}`, { token: supervisor });
  expect(res.status).toBe(200);
  return res.json() as never;
}

function say(segmentId: string, speaker: TranscriptEvent['speaker'], text: string, at: number): void {
  app.server.bus.emit('transcript', {
    roomId: call.roomId,
    segmentId,
    speaker,
    text,
    final: true,
    startMs: at,
    endMs: at + 800,
    interrupted: false,
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  fake = await new FakeChatCompletions({ apiKey: 'sk-audit' }).start();
  fake.script({ kind: 'reply', content: { ...PIZZA_RESULT, notes: CARD_NOTES } });
  app = await startSecurityApp({
    env: { DEEPSEEK_API_KEY: 'sk-audit', DEEPSEEK_BASE_URL: fake.baseUrl },
  });
  supervisor = (await app.login('supervisor')).accessToken;
  const started = await app.request('POST', '/api/calls', { body: { displayName: 'Anna' } });
  expect(started.status).toBe(201);
  call = (await started.json()) as { callId: string; roomId: string };
  say('c1', 'customer', 'my card is four one one one', 0);
  say('a1', 'agent', 'Go on.', 1000);
  say('c2', 'customer', 'one one one one', 2000);
  say('c3', 'customer', 'one one one one', 3000);
  say('c4', 'customer', 'one one one one', 4000);
  say('c5', 'customer', 'it expires twelve twenty six and the code on the back is seven three one', 5000);
  say('a2', 'agent', 'And a number to call you back?', 6000);
  say('c6', 'customer', 'four one five five five five', 7000);
  say('a3', 'agent', 'Mm-hmm.', 8000);
  say('c7', 'customer', 'one two three four', 9000);
  app.server.bus.emit('room.closed', { roomId: call.roomId, reason: 'hangup' });
  await until('the extraction', async () => {
    const detail = await callDetail();
    return detail.extraction?.order ? detail : undefined;
  });
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await app?.close();
  await fake?.stop();
});

describe('privacy', () => {
  it('attack: a caller dictates a card number in four pauses ("four one one one" / "one one one one" ...) | expected: no stored transcript segment holds the digits', async () => {
    const { transcript } = await callDetail();
    const text = (id: string) => transcript.find((s) => s.segmentId === id)?.text;
    expect([text('c1'), text('c2'), text('c3'), text('c4')]).toEqual([
      'my card is [card]',
      '[card]',
      '[card]',
      '[card]',
    ]);
  });

  it('attack: a caller gives the expiry date and CVV right after the card | expected: the stored transcript shows [expiry] and [cvv], not the values', async () => {
    const { transcript } = await callDetail();
    expect(transcript.find((s) => s.segmentId === 'c5')?.text).toBe(
      'it expires [expiry] and the code on the back is [cvv]',
    );
  });

  it('attack: a caller splits a phone number over two segments around an agent reply | expected: both stored segments show [phone]', async () => {
    const { transcript } = await callDetail();
    expect(transcript.filter((s) => ['c6', 'c7'].includes(s.segmentId)).map((s) => s.text)).toEqual([
      '[phone]',
      '[phone]',
    ]);
  });

  it('attack: the extraction model copies the card number into its notes | expected: the stored order notes and job result hold no card number', async () => {
    const { extraction } = await callDetail();
    expect(extraction?.order?.notes).toBe('customer read card [card], code [cvv], to pay on delivery');
    const [job] = await app.sql<{ result: unknown }>('select result from extraction_jobs where call_id = ?', [
      call.callId,
    ]);
    expect(JSON.stringify(job?.result)).not.toMatch(/4111|731|\b123\b/);
  });

  it('attack: a reviewer corrects an order with a note quoting the caller, then an admin reads the audit log | expected: audit rows hold ids and fingerprints, no customer name, phone or note', async () => {
    const [job] = await app.sql<{ id: number }>('select id from extraction_jobs where call_id = ?', [
      call.callId,
    ]);
    const corrected = { ...PIZZA_RESULT, customer: { ...PIZZA_RESULT.customer, phone: '415 555 9999' } };
    const res = await app.request('POST', `/api/extraction/jobs/${job?.id}/correct`, {
      token: supervisor,
      body: { result: corrected, note: 'Anna Rossi asked to use 415 555 9999' },
    });
    expect(res.status).toBe(200);
    const rows = JSON.stringify(await app.sql('select * from audit_events'));
    expect(rows).toContain('extraction.correct');
    for (const pii of ['Anna', 'Rossi', '415 555', 'Oak Street', 'pepperoni'])
      expect(rows).not.toContain(pii);
  });

  it('attack: an audit row outlives the retention of every call it could be about | expected: the retention sweep deletes it', async () => {
    await app.sql(
      `insert into audit_events (actor_id, actor_role, action, target_type, target_id, created_at)
       values (null, null, 'test.old', 'call', 'old', utc_timestamp(3) - interval 4000 day)`,
    );
    const swept = await new RetentionSweeper({
      orm: app.orm,
      agentConfigs: new MySqlAgentConfigStore(app.orm),
    }).sweep();
    expect(swept.audit_events).toBeGreaterThanOrEqual(1);
    expect(await app.sql("select id from audit_events where action = 'test.old'")).toEqual([]);
  });

  it('attack: a customer joins a call where a human agent whispers to the AI and another listens silently | expected: the join response and notifications mention neither the whisper track, nor the coach, nor the listener', async () => {
    const roomId = `privacy-${Date.now()}`;
    const token = async (identity: string, role: 'customer' | 'human_agent', listenOnly = false) =>
      (await app.server.tokens.issueRoomToken({ identity, name: identity, room: roomId, role, listenOnly }))
        .token;
    const connect = async (t: string) => {
      const c = await connectRtc(app.url, t);
      clients.push(c);
      return c;
    };
    const coach = await connect(await token('user:coach', 'human_agent'));
    await joinRoom(coach);
    const send = await coach.request('createWebRtcTransport', { direction: 'send' });
    await coach.request('connectWebRtcTransport', { transportId: send.id, dtlsParameters: FAKE_DTLS });
    const { producerId: whisperId } = await coach.request('produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(4242),
      audience: 'staff',
    });
    const listener = await connect(await token('user:listener', 'human_agent', true));
    const listenerJoin = await joinRoom(listener);
    const customer = await connect(await token('customer:x', 'customer'));
    const joined = await joinRoom(customer);
    await customer.request('createWebRtcTransport', { direction: 'recv' });
    const seen = JSON.stringify({ joined, notifications: customer.notifications });
    expect(seen).not.toContain(whisperId);
    expect(seen).not.toContain(listenerJoin.peerId);
    // Staff are shown to a customer only while they speak to the customer (barge or takeover).
    expect(joined.peers.map((p) => p.displayName)).toEqual([]);
  });
});
