import type { RoomClaims, Takeover } from '@voiceroom/protocol';
import { auditFingerprint } from '../calls/auditLog.ts';
import type { Logger } from '../log.ts';
import { MediaError } from '../media/errors.ts';
import type { Peer } from '../media/Peer.ts';
import type { Room } from '../media/Room.ts';
import type { Membership } from './mediaRequests.ts';

/** What drives the AI side of a room (server/src/agents/AgentGateway.ts satisfies it). */
export interface CopilotController {
  /** A hint the AI follows in its next replies; false when no AI agent is in that room. */
  hint(roomId: string, text: string): boolean;
  /** active: the AI stops listening and speaking; false: it resumes with the full context. */
  takeover(roomId: string, active: boolean): Promise<boolean>;
}

/** One co-pilot action for the audit log (server/src/calls/auditLog.ts AuditEntry has this shape). */
export interface CopilotAuditEntry {
  actor: { id: string; role: string };
  action:
    | 'copilot.join'
    | 'copilot.listen'
    | 'copilot.hint'
    | 'copilot.whisper_audio'
    | 'copilot.barge'
    | 'copilot.takeover'
    | 'copilot.handback';
  targetType: 'room';
  targetId: string;
  details?: Record<string, unknown>;
}

export type CopilotAudit = (entry: CopilotAuditEntry) => void | Promise<void>;

export interface CopilotRequestsOptions {
  copilot: CopilotController | undefined;
  audit: CopilotAudit | undefined;
  logger: Logger;
}

/**
 * The co-pilot requests of signaling: coach the AI with a hint, take the call over and hand it back. Grants are
 * checked here; one takeover holder per room; the holder leaving hands the call back; every action is audited,
 * and so are staff joining (to listen or to speak) and starting audio (whisper or barge).
 */
export class CopilotRequests {
  readonly #copilot: CopilotController | undefined;
  readonly #audit: CopilotAudit | undefined;
  readonly #log: Logger;

  constructor(options: CopilotRequestsOptions) {
    this.#copilot = options.copilot;
    this.#audit = options.audit;
    this.#log = options.logger;
  }

  /** A staff member joined the call: to listen only (no canPublish) or able to speak. */
  joined({ room, peer }: Membership, claims: RoomClaims): void {
    this.#record(claims, room, peer.grants.canPublish ? 'copilot.join' : 'copilot.listen', {
      peerId: peer.id,
      hidden: peer.grants.hidden,
    });
  }

  /** A staff member started sending audio: a whisper only the AI side hears, or into the call (barge). */
  startedAudio({ room, peer }: Membership, claims: RoomClaims, audience: 'everyone' | 'staff'): void {
    this.#record(claims, room, audience === 'staff' ? 'copilot.whisper_audio' : 'copilot.barge', {
      peerId: peer.id,
      takeover: room.takeoverHolder === peer,
    });
  }

  async hint({ room, peer }: Membership, claims: RoomClaims, text: string): Promise<Record<string, never>> {
    if (!peer.grants.canWhisper)
      throw new MediaError('forbidden', 'Coaching the AI needs the canWhisper grant.');
    if (!this.#copilot?.hint(room.id, text)) {
      throw new MediaError('not_found', 'No AI agent is in this room to take the hint.');
    }
    this.#record(claims, room, 'copilot.hint', { text: auditFingerprint(text), chars: text.length });
    return {};
  }

  async takeover(
    { room, peer }: Membership,
    claims: RoomClaims,
    active: boolean,
  ): Promise<{ takeover: Takeover }> {
    if (!peer.grants.canTakeOver) {
      throw new MediaError('forbidden', 'Taking the call over needs the canTakeOver grant.');
    }
    const holder = room.takeoverHolder;
    if (active) {
      if (holder === peer) return { takeover: room.takeover };
      if (holder) {
        throw new MediaError('forbidden', `${holder.displayName} has already taken this call over.`);
      }
      room.setTakeover(peer);
      peer.once('close', () => {
        if (room.takeoverHolder === peer && !room.closed)
          void this.#handBack(room, peer, claims, 'holder_left');
      });
      await this.#copilot?.takeover(room.id, true);
      this.#record(claims, room, 'copilot.takeover');
      return { takeover: room.takeover };
    }
    if (!holder) return { takeover: null };
    if (holder !== peer)
      throw new MediaError('forbidden', `Only ${holder.displayName} can hand this call back.`);
    await this.#handBack(room, peer, claims, 'handback');
    return { takeover: room.takeover };
  }

  /** Ends a takeover: the AI resumes; a holder without canPublish loses what it said into the room. */
  async #handBack(room: Room, holder: Peer, claims: RoomClaims, reason: string): Promise<void> {
    room.setTakeover(undefined);
    if (!holder.grants.canPublish) {
      for (const producer of holder.producers) {
        if (producer.appData.audience === 'staff') continue;
        producer.close();
        holder.notify({ method: 'producerClosed', data: { producerId: producer.id, reason: 'handback' } });
      }
    }
    try {
      await this.#copilot?.takeover(room.id, false);
    } catch (error) {
      this.#log.error({ err: error, roomId: room.id }, 'the AI could not resume after the takeover');
    }
    this.#record(claims, room, 'copilot.handback', { reason });
  }

  #record(
    claims: RoomClaims,
    room: Room,
    action: CopilotAuditEntry['action'],
    details?: Record<string, unknown>,
  ): void {
    this.#log.info({ roomId: room.id, actor: claims.sub, action }, 'co-pilot action');
    if (!this.#audit) return;
    const entry: CopilotAuditEntry = {
      actor: { id: claims.sub, role: claims.role },
      action,
      targetType: 'room',
      targetId: room.id,
      ...(details ? { details } : {}),
    };
    Promise.resolve()
      .then(() => this.#audit?.(entry))
      .catch((error: unknown) => this.#log.error({ err: error, action }, 'could not write the audit entry'));
  }
}
