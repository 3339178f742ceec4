import { grantsForRole, type RoomRole } from '@voiceroom/protocol';
import type { CallEventBus } from '../../CallEventBus.ts';
import { auditFingerprint } from '../../calls/auditLog.ts';
import { createLogger, type Logger } from '../../log.ts';
import type { CopilotAudit } from '../../signaling/CopilotRequests.ts';
import { MediaError } from '../errors.ts';

export interface LiveKitCopilotOptions {
  /** The agent gateway: coaches the AI and silences it (on LiveKit it also mutes the agent's tracks). */
  copilot: {
    hint(roomId: string, text: string): boolean;
    takeover(roomId: string, active: boolean): Promise<boolean>;
  };
  bus: CallEventBus;
  audit?: CopilotAudit;
  logger?: Logger;
}

export interface StaffActor {
  id: string;
  name: string;
  role: RoomRole;
}

/**
 * Co-pilot actions for calls on LiveKit, where staff are not on our signaling: a hint to the AI, taking the call over
 * and handing it back. The same rules as on mediasoup (signaling/CopilotRequests): grants from the staff role, one
 * takeover holder per room, only the holder hands back, every action audited.
 */
export class LiveKitCopilot {
  readonly #options: LiveKitCopilotOptions;
  readonly #log: Logger;
  readonly #holders = new Map<string, StaffActor>();
  /** Audit entries are written one after another, so the log keeps the order the actions happened in. */
  #audits: Promise<void> = Promise.resolve();
  readonly #unsubscribe: () => void;

  constructor(options: LiveKitCopilotOptions) {
    this.#options = options;
    this.#log = options.logger ?? createLogger('media.livekit.copilot');
    this.#unsubscribe = options.bus.on('room.closed', (r) => {
      this.#holders.delete(r.roomId);
    });
  }

  /** Who holds the takeover of a room, if anyone. */
  holder(roomId: string): StaffActor | undefined {
    return this.#holders.get(roomId);
  }

  hint(roomId: string, actor: StaffActor, text: string): void {
    if (!grantsForRole(actor.role).canWhisper) {
      throw new MediaError('forbidden', 'Coaching the AI needs the canWhisper grant.');
    }
    if (!this.#options.copilot.hint(roomId, text)) {
      throw new MediaError('not_found', 'No AI agent is in this room to take the hint.');
    }
    this.#record(actor, roomId, 'copilot.hint', { text: auditFingerprint(text), chars: text.length });
  }

  async takeover(roomId: string, actor: StaffActor, active: boolean): Promise<{ holder: string | null }> {
    if (!grantsForRole(actor.role).canTakeOver) {
      throw new MediaError('forbidden', 'Taking the call over needs the canTakeOver grant.');
    }
    const holder = this.#holders.get(roomId);
    if (active) {
      if (holder && holder.id !== actor.id) {
        throw new MediaError('forbidden', `${holder.name} has already taken this call over.`);
      }
      if (!holder) {
        this.#holders.set(roomId, actor);
        await this.#options.copilot.takeover(roomId, true);
        this.#record(actor, roomId, 'copilot.takeover');
      }
      return { holder: actor.id };
    }
    if (!holder) return { holder: null };
    if (holder.id !== actor.id)
      throw new MediaError('forbidden', `Only ${holder.name} can hand this call back.`);
    this.#holders.delete(roomId);
    await this.#options.copilot.takeover(roomId, false);
    this.#record(actor, roomId, 'copilot.handback', { reason: 'handback' });
    return { holder: null };
  }

  close(): void {
    this.#unsubscribe();
    this.#holders.clear();
  }

  #record(
    actor: StaffActor,
    roomId: string,
    action: 'copilot.hint' | 'copilot.takeover' | 'copilot.handback',
    details?: Record<string, unknown>,
  ): void {
    this.#log.info({ roomId, actor: actor.id, action }, 'co-pilot action');
    this.#audits = this.#audits
      .then(() =>
        this.#options.audit?.({
          actor: { id: actor.id, role: actor.role },
          action,
          targetType: 'room',
          targetId: roomId,
          ...(details ? { details } : {}),
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => this.#log.error({ err: error, action }, 'could not write the audit entry'),
      );
  }
}
