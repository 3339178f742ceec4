import type { Room } from '../media/Room.ts';

/**
 * Resolves once `peerId` receives `producerId` unpaused (a browser's consumer starts paused until its client has
 * set it up), so the agent's greeting is not cut; resolves anyway after `timeoutMs`, or at once when there is
 * nothing to wait for. Returns whether the peer was confirmed to be receiving.
 */
export function untilReceiving(
  room: Pick<Room, 'peers'>,
  peerId: string,
  producerId: string | undefined,
  timeoutMs: number,
): Promise<boolean> {
  const peer = room.peers.find((p) => p.id === peerId);
  const consumer = peer?.consumers.find((e) => e.consumer.producerId === producerId)?.consumer;
  if (!consumer || consumer.closed) return Promise.resolve(false);
  if (!consumer.paused) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (receiving: boolean) => {
      clearTimeout(timer);
      consumer.observer.off('resume', onResume);
      consumer.observer.off('close', onClose);
      resolve(receiving);
    };
    const onResume = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    consumer.observer.on('resume', onResume);
    consumer.observer.on('close', onClose);
  });
}
