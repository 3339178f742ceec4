import type { RoomRole } from '@voiceroom/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentMediaLink } from '../../src/media/AgentMediaLink.ts';
import type { CopilotAuditEntry } from '../../src/signaling/CopilotRequests.ts';
import { type MediaServer, startMediaServer } from '../helpers/mediaServer.ts';
import { bindUdp, waitFor } from '../media/rtpTools.ts';
import { connectRtc, joinRoom, opusRtpParameters, type RtcTestClient } from './rtcClient.ts';

/**
 * The AI side as the agent gateway drives it: hints are recorded, a takeover pauses the agent's real media link
 * in the room and a handback resumes it.
 */
const hints: { roomId: string; text: string }[] = [];
const links = new Map<string, AgentMediaLink>();
const audit: CopilotAuditEntry[] = [];
let server: MediaServer;
const clients: RtcTestClient[] = [];
const sockets: { close(): void }[] = [];
let seq = 0;

beforeAll(async () => {
  server = await startMediaServer({
    copilot: {
      hint(roomId, text) {
        if (!links.has(roomId)) return false;
        hints.push({ roomId, text });
        return true;
      },
      async takeover(roomId, active) {
        const link = links.get(roomId);
        if (!link) return false;
        if (active) await link.pauseSending();
        else await link.resumeSending();
        return true;
      },
    },
    audit: (entry) => {
      audit.push(entry);
    },
  });
});
afterAll(() => server.close());
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of sockets.splice(0)) s.close();
  audit.length = 0;
});

async function roomWithAgent() {
  const roomId = `copilot-${++seq}`;
  const room = await server.registry.getOrCreate(roomId, { agentId: 'pizzeria' });
  const socket = await bindUdp();
  sockets.push(socket);
  const link = await room.connectAgent({
    displayName: 'Bot',
    rtpTarget: { ip: '127.0.0.1', port: socket.address().port },
  });
  links.set(roomId, link);
  return { roomId, room, link };
}

async function join(roomId: string, role: RoomRole, name: string) {
  const c = await connectRtc(server.url, await server.roomToken({ room: roomId, role, name }));
  clients.push(c);
  const joined = await joinRoom(c);
  await c.request('createWebRtcTransport', { direction: 'recv' });
  return { c, joined };
}

describe('co-pilot over signaling', () => {
  it('lets a silent supervisor take the call over, speak to the customer, and hand it back to the AI', async () => {
    const { roomId, room, link } = await roomWithAgent();
    const customer = await join(roomId, 'customer', 'Carla');
    const human = await join(roomId, 'human_agent', 'Hugo');
    const sup = await join(roomId, 'supervisor', 'Sue');
    const agentOffer = await customer.c.next('newConsumer', (d) => d.peerId === link.peerId);

    expect(await customer.c.ack('copilotTakeover', { active: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const send = await sup.c.request('createWebRtcTransport', { direction: 'send' });
    expect(
      await sup.c.ack('produce', {
        transportId: send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(31),
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const taken = await sup.c.request('copilotTakeover', { active: true });
    expect(taken).toEqual({ takeover: { peerId: sup.joined.peerId, displayName: 'Sue' } });
    expect(room.takeover?.peerId).toBe(sup.joined.peerId);
    await human.c.next('copilotState', (d) => d.takeover?.peerId === sup.joined.peerId);
    // The AI stops speaking: the customer's consumer of the agent is paused at its source.
    await customer.c.next('consumerPaused', (d) => d.consumerId === agentOffer.consumerId);
    expect(customer.c.notifications.some((n) => n.method === 'copilotState')).toBe(false);
    expect(await human.c.ack('copilotTakeover', { active: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('Sue') },
    });

    // Holding the takeover, the supervisor may speak to the customer.
    const { producerId } = await sup.c.request('produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(32),
    });
    const supOffer = await customer.c.next('newConsumer', (d) => d.producerId === producerId);

    expect(await human.c.ack('copilotTakeover', { active: false })).toMatchObject({ ok: false });
    expect(await sup.c.request('copilotTakeover', { active: false })).toEqual({ takeover: null });
    await customer.c.next('consumerResumed', (d) => d.consumerId === agentOffer.consumerId);
    await customer.c.next('consumerClosed', (d) => d.consumerId === supOffer.consumerId);
    expect(await sup.c.next('producerClosed')).toEqual({ producerId, reason: 'handback' });
    await human.c.next('copilotState', (d) => d.takeover === null);
    expect(audit.map((a) => a.action)).toEqual([
      'copilot.join',
      'copilot.listen',
      'copilot.takeover',
      'copilot.barge',
      'copilot.handback',
    ]);
    expect(audit[1]).toMatchObject({ actor: { role: 'supervisor' }, targetType: 'room', targetId: roomId });
    expect(audit[2]).toMatchObject({ actor: { role: 'supervisor' }, targetType: 'room', targetId: roomId });
    expect(audit[3]).toMatchObject({ details: { peerId: sup.joined.peerId, takeover: true } });

    // A staff member joining later learns the takeover state from the join reply.
    await sup.c.request('copilotTakeover', { active: true });
    const late = await connectRtc(server.url, await server.roomToken({ room: roomId, role: 'human_agent' }));
    clients.push(late);
    expect((await joinRoom(late)).takeover).toEqual({ peerId: sup.joined.peerId, displayName: 'Sue' });
  });

  it('hands the call back to the AI when the holder leaves', async () => {
    const { roomId, room } = await roomWithAgent();
    const customer = await join(roomId, 'customer', 'Carla');
    const human = await join(roomId, 'human_agent', 'Hugo');
    await human.c.request('copilotTakeover', { active: true });
    await human.c.request('leave');
    await waitFor(() => room.takeover === null, 'the takeover to end');
    const mine = () => audit.filter((a) => a.targetId === roomId);
    await waitFor(() => mine().length === 3, 'the handback audit entry');
    expect(mine()[2]).toMatchObject({ action: 'copilot.handback', details: { reason: 'holder_left' } });
    expect(customer.c.socket.connected).toBe(true);
  });

  it('passes hints from staff with canWhisper to the AI, and refuses them otherwise', async () => {
    const { roomId } = await roomWithAgent();
    const customer = await join(roomId, 'customer', 'Carla');
    const human = await join(roomId, 'human_agent', 'Hugo');
    await human.c.request('copilotHint', { text: 'Offer the garlic bread special.' });
    expect(hints.at(-1)).toEqual({ roomId, text: 'Offer the garlic bread special.' });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'copilot.hint' }));
    // A hint may quote the caller: the audit row keeps a fingerprint, not the words.
    expect(JSON.stringify(audit)).not.toContain('garlic bread');
    expect(await customer.c.ack('copilotHint', { text: 'free pizza' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await human.c.ack('copilotHint', { text: '' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    const noAgentRoom = `no-agent-${++seq}`;
    const lonely = await join(noAgentRoom, 'human_agent', 'Hugo');
    expect(await lonely.c.ack('copilotHint', { text: 'hello?' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('delivers whisper audio to the agent and staff but never to the customer', async () => {
    const { roomId, link } = await roomWithAgent();
    const customer = await join(roomId, 'customer', 'Carla');
    const human = await join(roomId, 'human_agent', 'Hugo');
    const sup = await join(roomId, 'supervisor', 'Sue');
    const send = await sup.c.request('createWebRtcTransport', { direction: 'send' });
    const { producerId } = await sup.c.request('produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(41),
      audience: 'staff',
    });
    await human.c.next('newConsumer', (d) => d.producerId === producerId);
    expect(audit.filter((a) => a.targetId === roomId).map((a) => a.action)).toEqual([
      'copilot.join',
      'copilot.listen',
      'copilot.whisper_audio',
    ]);
    await waitFor(
      () => link.receive.some((r) => r.producerId === producerId),
      'the agent to receive the whisper',
    );
    expect(link.receive.find((r) => r.producerId === producerId)?.audience).toBe('staff');
    expect(
      customer.c.notifications.some((n) => n.method === 'newConsumer' && n.data.producerId === producerId),
    ).toBe(false);
    const customerSend = await customer.c.request('createWebRtcTransport', { direction: 'send' });
    expect(
      await customer.c.ack('produce', {
        transportId: customerSend.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(42),
        audience: 'staff',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('shows a staff person who could speak to the customer only while they do: absent listening or whispering, present while barging, gone after', async () => {
    const { roomId, link } = await roomWithAgent();
    const human = await join(roomId, 'human_agent', 'Hugo');
    expect(human.joined.grants.canPublish).toBe(true);
    const customer = await join(roomId, 'customer', 'Carla');
    const names = (peers: { peerId: string }[]) => peers.map((p) => p.peerId);
    const customerHeard = (method: string) =>
      customer.c.notifications.filter(
        (n) => n.method === method && 'peerId' in n.data && n.data.peerId === human.joined.peerId,
      );
    // Listening: not in the customer's join reply, never announced.
    expect(names(customer.joined.peers)).toEqual([link.peerId]);

    const send = await human.c.request('createWebRtcTransport', { direction: 'send' });
    const whisper = await human.c.request('produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(51),
      audience: 'staff',
    });
    await human.c.request('closeProducer', { producerId: whisper.producerId });
    const listeningLate = await join(roomId, 'customer', 'Cleo');
    expect(names(listeningLate.joined.peers)).not.toContain(human.joined.peerId);

    // Barging: announced before its audio, and in the reply of a customer joining now.
    const barge = await human.c.request('produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(52),
    });
    const joined = await customer.c.next('peerJoined', (d) => d.peerId === human.joined.peerId);
    expect(joined).toEqual({ peerId: human.joined.peerId, displayName: 'Hugo', role: 'human_agent' });
    await customer.c.next('newConsumer', (d) => d.producerId === barge.producerId);
    const joinedIndex = customer.c.notifications.findIndex((n) => n.method === 'peerJoined');
    const offerIndex = customer.c.notifications.findIndex(
      (n) => n.method === 'newConsumer' && n.data.producerId === barge.producerId,
    );
    expect(joinedIndex).toBeLessThan(offerIndex);
    const bargingLate = await join(roomId, 'customer', 'Cody');
    expect(names(bargingLate.joined.peers)).toContain(human.joined.peerId);

    // Stopped barging: withdrawn, and listed no more.
    await human.c.request('closeProducer', { producerId: barge.producerId });
    expect(await customer.c.next('peerLeft', (d) => d.peerId === human.joined.peerId)).toEqual({
      peerId: human.joined.peerId,
      reason: 'stopped_speaking',
    });
    const stoppedLate = await join(roomId, 'customer', 'Cora');
    expect(names(stoppedLate.joined.peers)).not.toContain(human.joined.peerId);
    expect(customerHeard('peerJoined')).toHaveLength(1);
    expect(customerHeard('peerLeft')).toHaveLength(1);
  });
});
