import type { CallEventBus } from './CallEventBus.ts';
import type { RoomRegistry } from './media/RoomRegistry.ts';

/** Resolves once no room is open, or after `timeoutMs`; with the number of rooms still open. */
export function untilNoRooms(registry: RoomRegistry, bus: CallEventBus, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(registry.rooms.length);
    };
    const unsubscribe = bus.on('room.closed', () => {
      if (registry.rooms.length === 0) done();
    });
    const timer = setTimeout(done, registry.rooms.length === 0 ? 0 : timeoutMs);
  });
}
