import { CodedError } from '@voiceroom/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MediaServer, startMediaServer } from '../helpers/mediaServer.ts';
import { waitFor } from '../media/rtpTools.ts';
import { connectRtc, joinRoom, type RtcTestClient } from './rtcClient.ts';

let server: MediaServer;
const clients: RtcTestClient[] = [];
let roomSeq = 0;

beforeAll(async () => {
  server = await startMediaServer();
});
afterAll(() => server.close());
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.close();
  await waitFor(() => server.signaling.connections === 0, 'every test connection to close');
});

/** A joined client whose server-side peer throws `error` when the client closes a producer. */
async function clientWhosePeerThrows(error: unknown): Promise<RtcTestClient> {
  const room = `error-room-${++roomSeq}`;
  const client = await connectRtc(server.url, await server.roomToken({ room, identity: `customer:${room}` }));
  clients.push(client);
  const { peerId } = await joinRoom(client);
  const peer = server.registry.get(room)?.getPeer(peerId);
  if (!peer) throw new Error('the joined peer is missing on the server');
  vi.spyOn(peer, 'producer').mockImplementation(() => {
    throw error;
  });
  return client;
}

describe('signaling error replies', () => {
  it('sends a CodedError thrown by a request handler as its code and message', async () => {
    const client = await clientWhosePeerThrows(
      new CodedError('not_found', 'No producer p1 here: produce first.'),
    );
    expect(await client.ack('closeProducer', { producerId: 'p1' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No producer p1 here: produce first.' },
    });
  });

  it('sends an unexpected error as internal_error without its message', async () => {
    const client = await clientWhosePeerThrows(new Error('ECONNREFUSED 10.9.8.7:3306 as root'));
    const reply = await client.ack('closeProducer', { producerId: 'p1' });
    expect(reply).toEqual({ ok: false, error: { code: 'internal_error', message: expect.any(String) } });
    expect(JSON.stringify(reply)).not.toMatch(/10\.9\.8\.7|root/);
  });

  it('sends a CodedError whose code signaling does not define as internal_error', async () => {
    const client = await clientWhosePeerThrows(new CodedError('email_taken', 'someone@example.com is taken'));
    const reply = await client.ack('closeProducer', { producerId: 'p1' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(JSON.stringify(reply)).not.toContain('someone@example.com');
  });

  it('refuses a bad handshake with connect_error carrying the code and message', async () => {
    const refusal = await connectRtc(server.url, 'not-a-token').then(
      () => expect.unreachable('the handshake should be refused'),
      (error: Error & { data?: unknown }) => error,
    );
    expect(refusal.message).toBe('unauthorized');
    expect(refusal.data).toEqual({ code: 'unauthorized', message: expect.stringMatching(/token/i) });
  });
});
