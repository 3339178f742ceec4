import { grantsForRole } from '@voiceroom/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MediasoupBackend } from '../../src/media/MediasoupBackend.ts';
import { startMedia } from './roomFixture.ts';

let media: Awaited<ReturnType<typeof startMedia>> | undefined;
afterEach(() => media?.close());

describe('MediasoupBackend', () => {
  it("views the registry's rooms: participants with roles and visibility, existence, closing", async () => {
    media = await startMedia();
    const backend = new MediasoupBackend(media.registry);
    await backend.createRoom();
    expect(await backend.roomExists('call-1')).toBe(false);
    const room = await media.registry.getOrCreate('call-1', { agentId: null });
    for (const [id, role, listenOnly] of [
      ['c1', 'customer', false],
      ['s1', 'supervisor', true],
    ] as const) {
      room.addPeer({
        id,
        kind: 'webrtc',
        identity: `test:${id}`,
        displayName: id,
        role,
        grants: grantsForRole(role, { listenOnly }),
        rtpCapabilities: room.rtpCapabilities,
      });
    }
    expect(await backend.roomExists('call-1')).toBe(true);
    expect(await backend.listParticipants('call-1')).toEqual([
      { id: 'c1', identity: 'test:c1', displayName: 'c1', role: 'customer', hidden: false, tracks: [] },
      { id: 's1', identity: 'test:s1', displayName: 's1', role: 'supervisor', hidden: true, tracks: [] },
    ]);
    expect(await backend.mediaTicket()).toEqual({ backend: 'mediasoup' });

    await backend.closeRoom('call-1', 'test');
    expect(room.closed).toBe(true);
    expect(await backend.listParticipants('call-1')).toEqual([]);
  });
});
