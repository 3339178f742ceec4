import { randomBytes } from 'node:crypto';
import {
  dispose,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
} from '@livekit/rtc-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLiveKitNode, type TestLiveKit } from '../../../../test/helpers/livekit.ts';
import { LiveKitBackend } from '../../../src/media/livekit/LiveKitBackend.ts';
import { connectParticipant, until } from './liveKitTools.ts';
import { allowSubscribers, publishAudio } from './publishers.ts';

let lk: TestLiveKit;
let backend: LiveKitBackend;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  lk = await startLiveKitNode({ port: 7881, rtcPortRange: [50_200, 50_399] });
  backend = new LiveKitBackend({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
}, 60_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await lk?.stop();
  await dispose();
});

async function join(
  roomId: string,
  ticket: Promise<{ backend: string } & Record<string, unknown>>,
): Promise<Room> {
  const media = await ticket;
  if (media.backend !== 'livekit') throw new Error('expected a LiveKit ticket');
  const room = await connectParticipant(String(media.url), String(media.token));
  cleanups.push(() => room.disconnect());
  expect(room.name).toBe(roomId);
  return room;
}

/** Every track `room` subscribes to, as "<publisher identity>/<track name>". */
function subscriptions(room: Room): string[] {
  const seen: string[] = [];
  room.on(
    RoomEvent.TrackSubscribed,
    (track: RemoteTrack, publication: RemoteTrackPublication, participant) => {
      seen.push(`${participant.identity}/${publication.name ?? track.name}`);
    },
  );
  return seen;
}

const newRoom = async () => {
  const roomId = `call-${randomBytes(6).toString('hex')}`;
  await backend.createRoom(roomId, { agentId: 'pizzeria' });
  cleanups.push(() => backend.closeRoom(roomId, 'test_end'));
  return roomId;
};

describe('LiveKitBackend', () => {
  it('creates rooms that remember their agent, lists their participants, and closes them', async () => {
    const roomId = await newRoom();
    expect(await backend.roomExists(roomId)).toBe(true);
    expect(await backend.roomAgent(roomId)).toBe('pizzeria');
    await join(
      roomId,
      backend.mediaTicket({ roomId, identity: 'customer:c1', name: 'Ann', role: 'customer' }),
    );
    const [customer] = await backend.listParticipants(roomId);
    expect(customer).toMatchObject({
      identity: 'customer:c1',
      displayName: 'Ann',
      role: 'customer',
      hidden: false,
    });

    await backend.closeRoom(roomId, 'test');
    expect(await backend.roomExists(roomId)).toBe(false);
    await backend.closeRoom(roomId, 'closing twice is harmless');
  });

  it("keeps a silent supervisor out of the customer's participant list while it hears both sides", async () => {
    const roomId = await newRoom();
    const customer = await join(
      roomId,
      backend.mediaTicket({ roomId, identity: 'customer:c2', name: 'Ann', role: 'customer' }),
    );
    const agent = await join(roomId, backend.agentCredentials(roomId, 's1', 'Pizza bot').then(asTicket));
    const supervisor = await join(
      roomId,
      backend.mediaTicket({ roomId, identity: 'u-sup', name: 'Sue', role: 'supervisor', listenOnly: true }),
    );
    const heard = subscriptions(supervisor);
    const customerMic = await publishAudio(customer, 'mic');
    const agentVoice = await publishAudio(agent, 'agent-voice');
    cleanups.push(customerMic.stop, agentVoice.stop);

    await until(
      async () => heard.includes('customer:c2/mic') && heard.includes('agent:s1/agent-voice'),
      'the supervisor to receive the customer and the agent',
    );
    const listed = await backend.listParticipants(roomId);
    expect(listed.find((p) => p.identity === 'staff:u-sup')).toMatchObject({
      role: 'supervisor',
      hidden: true,
    });
    expect([...customer.remoteParticipants.keys()].sort()).toEqual(['agent:s1']);
  });

  it("never lets a customer subscribe to a staff member's whisper track, while the agent receives it", async () => {
    const roomId = await newRoom();
    const customer = await join(
      roomId,
      backend.mediaTicket({ roomId, identity: 'customer:c3', name: 'Ann', role: 'customer' }),
    );
    const agent = await join(roomId, backend.agentCredentials(roomId, 's2', 'Pizza bot').then(asTicket));
    const staff = await join(
      roomId,
      backend.mediaTicket({ roomId, identity: 'u-ha', name: 'Hal', role: 'human_agent' }),
    );
    const customerGot = subscriptions(customer);
    const agentGot = subscriptions(agent);
    const mic = await publishAudio(staff, 'mic');
    const whisper = await publishAudio(staff, 'whisper');
    cleanups.push(mic.stop, whisper.stop);
    allowSubscribers(staff, [
      { participantIdentity: 'customer:c3', allowedTrackSids: [mic.publication.sid ?? ''] },
      { participantIdentity: 'agent:s2', allowAll: true },
    ]);

    await until(
      async () =>
        customerGot.includes('staff:u-ha/mic') &&
        agentGot.includes('staff:u-ha/whisper') &&
        agentGot.includes('staff:u-ha/mic'),
      'the customer to hear the staff voice and the agent both tracks',
    );
    // The customer's client asks for the whisper on purpose: the SFU refuses (the grant holds, not the client).
    const publication = customer.remoteParticipants
      .get('staff:u-ha')
      ?.trackPublications.get(whisper.publication.sid ?? '');
    expect(publication?.name).toBe('whisper');
    publication?.setSubscribed(true);
    // An absence is observed over a window: a permitted subscription completes well within it here (mic above).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(customerGot).not.toContain('staff:u-ha/whisper');
    expect(publication?.track).toBeUndefined();
  });
});

function asTicket(credentials: { url: string; token: string }): {
  backend: 'livekit';
  url: string;
  token: string;
} {
  return { backend: 'livekit', url: credentials.url, token: credentials.token };
}
