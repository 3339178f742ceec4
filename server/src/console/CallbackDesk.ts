import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { CallbackRequest } from '@voiceroom/protocol';
import type { AuditEntry } from '../calls/auditLog.ts';
import { insertCallback } from '../calls/callbackRequests.ts';
import type { MikroORM } from '../db/orm.ts';
import { createLogger, type Logger } from '../log.ts';
import type { LiveCalls } from './LiveCalls.ts';

export interface CallbackDeskOptions {
  orm: MikroORM;
  calls: Pick<LiveCalls, 'get'>;
  audit: (entry: AuditEntry) => Promise<void>;
  logger?: Logger;
}

export interface CallbackDeskEvents {
  requested: [callback: CallbackRequest];
}

/**
 * Callback requests: nobody took the handoff, the AI offered a callback and the caller said yes. The desk stores
 * the request with that consent (callback_requests), audit-logs it with ids only and announces it to the consoles.
 */
export class CallbackDesk extends EventEmitter<CallbackDeskEvents> {
  readonly #options: CallbackDeskOptions;
  readonly #log: Logger;

  constructor(options: CallbackDeskOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('console.callbacks');
  }

  /** The caller in this room agreed to be called back; undefined when the room is not a live call. */
  async request(roomId: string, phone: string | null): Promise<CallbackRequest | undefined> {
    const call = await this.#options.calls.get(roomId);
    if (!call) {
      this.#log.warn({ roomId }, 'a callback request for a room that is not a live call was dropped');
      return undefined;
    }
    const callback = await insertCallback(this.#options.orm.em.fork(), {
      id: randomUUID(),
      callId: call.callId,
      roomId,
      customerName: call.customerName,
      phone,
    });
    this.#options
      .audit({
        actor: null,
        action: 'callback.request',
        targetType: 'call',
        targetId: call.callId,
        details: { callbackId: callback.callbackId, roomId, consent: true, phoneGiven: phone !== null },
      })
      .catch((error: unknown) => this.#log.error({ err: error }, 'could not write the audit entry'));
    this.emit('requested', callback);
    return callback;
  }
}
