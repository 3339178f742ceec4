/**
 * Browser harness for the SDK's Chromium tests: exposes the SDK and a recorder that logs every Room event as plain
 * data (window.roomEvents), so Node-side tests can drive a Room and assert on what it emitted.
 */

import type { Room, RoomEvents } from '../../src/index.ts';
import * as sdk from '../../src/index.ts';

export type RecordedEvent = { event: keyof RoomEvents; detail: Record<string, unknown> };

const recorded: RecordedEvent[] = [];

function summarize<K extends keyof RoomEvents>(event: K, payload: RoomEvents[K]): Record<string, unknown> {
  const p = payload as Record<string, unknown>;
  switch (event) {
    case 'participantJoined':
      return { peerId: p.peerId, role: p.role };
    case 'participantLeft':
    case 'trackSubscribed':
    case 'trackUnsubscribed':
    case 'trackMuted': {
      const participant = p.participant as { peerId: string };
      const track = p.track as MediaStreamTrack | undefined;
      return { peerId: participant.peerId, kind: track?.kind, muted: p.muted, reason: p.reason };
    }
    case 'connectionStateChanged':
      return { state: payload };
    case 'copilotState':
      return { holder: (p.takeover as { peerId: string } | null)?.peerId ?? null };
    case 'error':
      return { code: (payload as unknown as sdk.VoiceRoomError).code };
    default:
      return { ...p };
  }
}

const EVENTS: (keyof RoomEvents)[] = [
  'participantJoined',
  'participantLeft',
  'trackSubscribed',
  'trackUnsubscribed',
  'trackMuted',
  'muteChanged',
  'microphoneClosed',
  'copilotState',
  'activeSpeaker',
  'transcript',
  'agentState',
  'turnMetrics',
  'stageFailed',
  'connectionStateChanged',
  'roomClosed',
  'error',
];

function record(room: Room): Room {
  // Tracks subscribed while connect() was still resolving, as the call page plays them.
  for (const remote of room.remoteTracks.values()) sdk.attachAudio(remote.track);
  for (const event of EVENTS) {
    room.on(event, (payload) => {
      recorded.push({ event, detail: summarize(event, payload) });
      if (event === 'trackSubscribed') sdk.attachAudio((payload as RoomEvents['trackSubscribed']).track);
    });
  }
  return room;
}

Object.assign(window, { sdk, record, roomEvents: recorded });
