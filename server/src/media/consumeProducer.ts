import type { types as ms } from 'mediasoup';
import type { Logger } from '../log.ts';
import type { Peer } from './Peer.ts';

/**
 * Gives `consumerPeer` a consumer of `producerPeer`'s `producer` when it may hear it: it can subscribe, a whisper
 * (audience 'staff') reaches staff only, and its codecs can take the stream. WebRTC consumers start paused until
 * the client resumes them; the agent's run at once. A producer or transport closing meanwhile is not an error.
 */
export async function consumeProducer(
  router: ms.Router,
  log: Logger,
  consumerPeer: Peer,
  producerPeer: Peer,
  producer: ms.Producer,
): Promise<void> {
  if (!consumerPeer.grants.canSubscribe || consumerPeer.closed || producer.closed) return;
  if (producer.appData.audience === 'staff' && !consumerPeer.isStaff) return;
  const transport = consumerPeer.consumingTransport;
  if (!transport) return;
  if (!router.canConsume({ producerId: producer.id, rtpCapabilities: consumerPeer.rtpCapabilities })) {
    log.warn({ peerId: consumerPeer.id, producerId: producer.id }, 'peer cannot consume this producer');
    return;
  }
  if (!consumerPeer.reserveSubscription(producer.id)) return;
  try {
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: consumerPeer.rtpCapabilities,
      paused: consumerPeer.kind === 'webrtc',
      appData: { peerId: producerPeer.id, audience: producer.appData.audience ?? 'everyone' },
    });
    consumerPeer.addConsumer(consumer, producerPeer);
  } catch (error) {
    consumerPeer.releaseSubscription(producer.id);
    if (!consumerPeer.closed && !producer.closed && !transport.closed) {
      log.error({ err: error, peerId: consumerPeer.id, producerId: producer.id }, 'consume failed');
    }
  }
}
