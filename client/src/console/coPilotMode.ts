import type { Audience, Room } from '@voiceroom/sdk';
import type { CoPilotMode } from './CallListView.ts';

/** What we publish now: nothing, a whisper (staff only) or our voice to everyone. */
export type Publishing = Audience | null;

const AUDIENCE: Record<CoPilotMode, Publishing> = {
  listen: null,
  whisper: 'staff',
  barge: 'everyone',
  takeover: 'everyone',
};

export function holdsTakeover(room: Room): boolean {
  return room.copilot.takeover?.peerId === room.localPeer.peerId;
}

/** The mode we are in, from the room's takeover and what we publish. */
export function currentMode(room: Room, publishing: Publishing): CoPilotMode {
  if (holdsTakeover(room)) return 'takeover';
  if (publishing === 'staff') return 'whisper';
  return publishing === 'everyone' ? 'barge' : 'listen';
}

/**
 * The modes our grants allow now. While another person holds the call, we may only listen; holding it ourselves
 * lets us speak even with a listen-only token.
 */
export function allowedModes(room: Room): Record<CoPilotMode, boolean> {
  const { grants } = room.localPeer;
  const takenByOther = room.copilot.takeover !== null && !holdsTakeover(room);
  return {
    listen: true,
    whisper: grants.canWhisper && !takenByOther,
    barge: grants.canPublish && !takenByOther,
    takeover: grants.canTakeOver && !takenByOther,
  };
}

/**
 * Moves from the current mode to `to`: stops a microphone of the wrong audience first (a whisper must never reach
 * the customer), takes the call over or hands it back, then publishes for the new audience. Resolves with what we
 * publish afterwards.
 */
export async function switchMode(room: Room, publishing: Publishing, to: CoPilotMode): Promise<Publishing> {
  const audience = AUDIENCE[to];
  let now = publishing;
  if (now !== null && now !== audience) {
    await room.unpublishMicrophone();
    now = null;
  }
  if (to === 'takeover' && !holdsTakeover(room)) await room.copilot.takeOver();
  if (to !== 'takeover' && holdsTakeover(room)) await room.copilot.handBack();
  // Handing back may have closed a listen-only microphone on the server side.
  if (room.microphone === undefined) now = null;
  if (audience !== null && now === null) {
    await room.publishMicrophone(undefined, { audience });
    now = audience;
  }
  return now;
}
