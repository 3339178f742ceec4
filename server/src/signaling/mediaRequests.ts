import type {
  DtlsParameters,
  SignalingMethod,
  SignalingRequest,
  SignalingResponse,
} from '@voiceroom/protocol';
import type { types as ms } from 'mediasoup';
import { MediaError } from '../media/errors.ts';
import type { Peer, TransportDirection } from '../media/Peer.ts';
import type { Room } from '../media/Room.ts';

/** A joined connection's room and peer. */
export interface Membership {
  room: Room;
  peer: Peer;
  /** How many producers the peer may have open (MAX_PRODUCERS_PER_PEER; audio only: a microphone, maybe another). */
  maxProducers: number;
}

type MediaMethod = Exclude<
  SignalingMethod,
  'getRouterRtpCapabilities' | 'join' | 'leave' | 'copilotHint' | 'copilotTakeover'
>;
type DataOf<M extends SignalingMethod> = Extract<SignalingRequest, { method: M }>['data'];
type MediaHandler<M extends MediaMethod> = (m: Membership, data: DataOf<M>) => Promise<SignalingResponse<M>>;

function webRtcTransport(peer: Peer, transportId: string): ms.WebRtcTransport {
  const { transport } = peer.transport(transportId);
  if (transport.type !== 'webrtc')
    throw new MediaError('not_found', `Transport ${transportId} is not a WebRTC one.`);
  return transport as ms.WebRtcTransport;
}

/** The requests a joined peer makes about its transports, producers and consumers. */
export const mediaRequests: { [M in MediaMethod]: MediaHandler<M> } = {
  async createWebRtcTransport({ room, peer }, { direction }) {
    if (peer.transports.some((t) => t.direction === direction)) {
      throw new MediaError(
        'bad_request',
        `You already have a ${direction} transport: reuse it (restartIce recovers a broken connection).`,
      );
    }
    const transport = await room.createWebRtcTransport(peer, direction satisfies TransportDirection);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters as DtlsParameters,
    };
  },

  async connectWebRtcTransport({ peer }, { transportId, dtlsParameters }) {
    const transport = webRtcTransport(peer, transportId);
    // dtlsState stays 'new' until the client's DTLS arrives, so remember the call itself.
    if (transport.appData.connectRequested) {
      throw new MediaError(
        'bad_request',
        `Transport ${transportId} is already connected: use restartIce instead.`,
      );
    }
    transport.appData.connectRequested = true;
    try {
      await transport.connect({ dtlsParameters });
    } catch (error) {
      transport.appData.connectRequested = false;
      throw error;
    }
    return {};
  },

  async restartIce({ peer }, { transportId }) {
    const iceParameters = await webRtcTransport(peer, transportId).restartIce();
    return { iceParameters };
  },

  async produce({ room, peer, maxProducers }, { transportId, rtpParameters, appData, audience }) {
    if (peer.producers.length >= maxProducers) {
      throw new MediaError(
        'too_many_producers',
        `At most ${maxProducers} producers per participant: close one first.`,
      );
    }
    webRtcTransport(peer, transportId);
    // Wire and mediasoup RtpParameters differ only in how codec parameters are typed.
    const params = rtpParameters as ms.RtpParameters;
    const producer = await room.produce(peer, transportId, params, appData ?? {}, audience ?? 'everyone');
    return { producerId: producer.id };
  },

  async pauseProducer({ peer }, { producerId }) {
    await peer.producer(producerId).pause();
    return {};
  },

  async resumeProducer({ peer }, { producerId }) {
    await peer.producer(producerId).resume();
    return {};
  },

  async closeProducer({ peer }, { producerId }) {
    peer.producer(producerId).close();
    return {};
  },

  async resumeConsumer({ peer }, { consumerId }) {
    await peer.consumer(consumerId).consumer.resume();
    return {};
  },

  async getStats({ peer }) {
    const transports = await Promise.all(
      peer.transports
        .filter((t) => t.transport.type === 'webrtc' && t.direction !== 'sendrecv')
        .map(async ({ transport, direction }) => {
          const [stats] = await (transport as ms.WebRtcTransport).getStats();
          return {
            transportId: transport.id,
            direction: direction as 'send' | 'recv',
            iceState: stats?.iceState ?? 'new',
            dtlsState: stats?.dtlsState ?? 'new',
            bytesReceived: stats?.bytesReceived ?? 0,
            bytesSent: stats?.bytesSent ?? 0,
          };
        }),
    );
    return { transports };
  },
};

export function isMediaMethod(method: SignalingMethod): method is MediaMethod {
  return method in mediaRequests;
}
