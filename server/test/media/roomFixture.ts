import type dgram from 'node:dgram';
import { grantsForRole, type RoomRole, type SignalingNotification } from '@voiceroom/protocol';
import { CallEventBus, type CallEventMap, type CallEventName } from '../../src/CallEventBus.ts';
import type { Peer } from '../../src/media/Peer.ts';
import type { Room } from '../../src/media/Room.ts';
import { RoomRegistry, type RoomRegistryOptions } from '../../src/media/RoomRegistry.ts';
import { WorkerPool } from '../../src/media/WorkerPool.ts';
import { AUDIO_LEVEL_URI, bindUdp } from './rtpTools.ts';

export const NETWORK = { listenIp: '127.0.0.1', rtcMinPort: 40_000, rtcMaxPort: 49_999 };

/** A real worker pool + registry + bus that records every event. */
export async function startMedia(options: Partial<RoomRegistryOptions> & { numWorkers?: number } = {}) {
  const pool = await WorkerPool.create({ numWorkers: options.numWorkers ?? 1 });
  const bus = new CallEventBus();
  const events: { name: CallEventName; payload: unknown }[] = [];
  for (const name of ['room.created', 'room.closed', 'participant.joined', 'participant.left'] as const) {
    bus.on(name, (payload: CallEventMap[typeof name]) => {
      events.push({ name, payload });
    });
  }
  const registry = new RoomRegistry({ pool, network: NETWORK, bus, ...options });
  return {
    pool,
    bus,
    events,
    registry,
    close() {
      registry.close();
      pool.close();
    },
  };
}

/**
 * A test participant that speaks and listens over PlainTransports (no browser): what it sends from `socket` to
 * `ingest` becomes its producer; the others' audio reaches `socket`. Its notifications are recorded.
 */
export async function plainParticipant(
  room: Room,
  id: string,
  role: RoomRole,
  options: { listenOnly?: boolean } = {},
) {
  const socket: dgram.Socket = await bindUdp();
  const notifications: SignalingNotification[] = [];
  const peer: Peer = room.addPeer({
    id,
    kind: 'webrtc',
    identity: `test:${id}`,
    displayName: id,
    role,
    grants: grantsForRole(role, options),
    rtpCapabilities: room.rtpCapabilities,
  });
  peer.attach((n) => notifications.push(n));
  const out = await room.createPlainTransport({ comedia: false });
  const address = socket.address();
  await out.connect({ ip: address.address, port: address.port });
  await room.attachTransport(peer, out, 'recv');
  return {
    peer,
    socket,
    notifications,
    /** Starts sending: a comedia PlainTransport and a producer with this SSRC. */
    async produce(ssrc: number, payloadType = 100, audioLevelExtensionId?: number) {
      const ingest = await room.createPlainTransport({ comedia: true });
      await room.attachTransport(peer, ingest, 'send');
      const producer = await room.produce(peer, ingest.id, {
        codecs: [{ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType }],
        encodings: [{ ssrc }],
        ...(audioLevelExtensionId
          ? { headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: audioLevelExtensionId }] }
          : {}),
      });
      return { producer, ingest: { ip: ingest.tuple.localAddress, port: ingest.tuple.localPort } };
    },
    newConsumers() {
      return notifications.flatMap((n) => (n.method === 'newConsumer' ? [n.data] : []));
    },
    close() {
      socket.close();
    },
  };
}
