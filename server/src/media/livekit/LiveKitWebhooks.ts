import { parseLiveKitMetadata } from '@voiceroom/protocol';
import { WebhookReceiver } from 'livekit-server-sdk';
import type { CallEventBus } from '../../CallEventBus.ts';
import { createLogger, type Logger } from '../../log.ts';
import { parseRoomMetadata } from './LiveKitBackend.ts';

export interface LiveKitWebhooksOptions {
  apiKey: string;
  apiSecret: string;
  bus: CallEventBus;
  /** Remembers event ids: true the first time an id is seen (Redis SET NX, shared by every server instance). */
  firstSeen: (eventId: string, ttlS: number) => Promise<boolean>;
  /** Events older than this are refused as replays (default 300 s; LiveKit sends within seconds). */
  maxAgeS?: number;
  now?: () => number;
  logger?: Logger;
}

export type WebhookOutcome =
  | { ok: true; event: string; applied: boolean }
  | { ok: false; status: 401 | 409; code: WebhookRefusal; message: string };

export type WebhookRefusal =
  | 'webhook_unsigned'
  | 'webhook_bad_signature'
  | 'webhook_replayed'
  | 'webhook_stale';

/**
 * LiveKit's signed webhooks (POST /api/livekit/webhook) turned into the call lifecycle events mediasoup rooms publish:
 * participant_joined/left -> participant.joined/left (participant rows; a customer joining dispatches the agent),
 * room_finished -> room.closed (the call record ends, extraction is queued). The signature (a JWT over the body's
 * SHA-256 made with our API secret) is checked first; an event id seen before, or an event older than maxAgeS, is
 * refused, so a captured request cannot be played again. Refused requests change nothing.
 */
export class LiveKitWebhooks {
  readonly #receiver: WebhookReceiver;
  readonly #options: LiveKitWebhooksOptions;
  readonly #log: Logger;

  constructor(options: LiveKitWebhooksOptions) {
    this.#options = options;
    this.#receiver = new WebhookReceiver(options.apiKey, options.apiSecret);
    this.#log = options.logger ?? createLogger('media.livekit.webhooks');
  }

  async handle(body: string, authorization: string | undefined): Promise<WebhookOutcome> {
    if (!authorization) {
      return refuse(401, 'webhook_unsigned', 'LiveKit webhooks must carry a signed Authorization header.');
    }
    let event: Awaited<ReturnType<WebhookReceiver['receive']>>;
    try {
      event = await this.#receiver.receive(body, authorization);
    } catch (error) {
      this.#log.warn({ err: error }, 'refused a LiveKit webhook with a bad signature');
      return refuse(
        401,
        'webhook_bad_signature',
        'The webhook signature does not match this server’s API key.',
      );
    }
    const maxAgeS = this.#options.maxAgeS ?? 300;
    const ageS = (this.#options.now?.() ?? Date.now()) / 1000 - Number(event.createdAt);
    if (!event.id || ageS > maxAgeS) {
      this.#log.warn({ id: event.id, ageS }, 'refused a stale LiveKit webhook');
      return refuse(
        409,
        'webhook_stale',
        `Webhook events older than ${maxAgeS} s (or without an id) are refused.`,
      );
    }
    if (!(await this.#options.firstSeen(event.id, maxAgeS * 2))) {
      this.#log.warn({ id: event.id, event: event.event }, 'refused a replayed LiveKit webhook');
      return refuse(409, 'webhook_replayed', `Webhook event ${event.id} was already received.`);
    }
    return { ok: true, event: event.event, applied: this.#apply(event) };
  }

  #apply(event: Awaited<ReturnType<WebhookReceiver['receive']>>): boolean {
    const roomId = event.room?.name;
    // Rooms this server did not create (other tenants of the cluster, load tests) have no call record to drive.
    if (!roomId || !parseRoomMetadata(event.room?.metadata)) return false;
    const { bus } = this.#options;
    if (event.event === 'room_finished') {
      bus.emit('room.closed', { roomId, reason: 'room_finished' });
      return true;
    }
    const participant = event.participant;
    if (!participant) return false;
    const metadata = parseLiveKitMetadata(participant.metadata);
    // Participants that did not join with one of our tokens (load generators, LiveKit tools) are not ours to record.
    if (!metadata) return false;
    switch (event.event) {
      case 'participant_joined':
        bus.emit('participant.joined', {
          roomId,
          peerId: participant.identity,
          identity: participant.identity,
          displayName: participant.name || metadata.name,
          role: metadata.role,
        });
        return true;
      case 'participant_left':
      case 'participant_connection_aborted':
        bus.emit('participant.left', {
          roomId,
          peerId: participant.identity,
          reason: event.event === 'participant_left' ? 'left' : 'connection_aborted',
        });
        return true;
      default:
        return false;
    }
  }
}

function refuse(status: 401 | 409, code: WebhookRefusal, message: string): WebhookOutcome {
  return { ok: false, status, code, message };
}
