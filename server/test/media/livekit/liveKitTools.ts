import { createHash, randomUUID } from 'node:crypto';
import { Room } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';

/** Polls an async condition until it holds (bounded); throws naming `what` otherwise. */
export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `promise`, or a rejection naming `what` after `timeoutMs`. */
export function within<T>(promise: Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A webhook body as LiveKit sends it (protobuf JSON of WebhookEvent). */
export function webhookBody(
  event: string,
  roomId: string,
  participant?: { identity: string; role: string; name?: string },
  options: { id?: string; createdAtS?: number; roomMetadata?: string } = {},
): string {
  return JSON.stringify({
    event,
    id: options.id ?? `EV_${randomUUID()}`,
    createdAt: String(options.createdAtS ?? Math.floor(Date.now() / 1000)),
    room: { name: roomId, metadata: options.roomMetadata ?? JSON.stringify({ agentId: 'pizzeria' }) },
    ...(participant
      ? {
          participant: {
            identity: participant.identity,
            name: participant.name ?? 'Ann',
            metadata: JSON.stringify({ role: participant.role, name: participant.name ?? 'Ann' }),
          },
        }
      : {}),
  });
}

/** The Authorization header LiveKit puts on a webhook: a JWT with the body's SHA-256, signed with the API secret. */
export async function webhookSignature(
  body: string,
  keys: { apiKey: string; apiSecret: string },
): Promise<string> {
  const token = new AccessToken(keys.apiKey, keys.apiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

/** A real LiveKit participant (@livekit/rtc-node) connected with `token`. */
export async function connectParticipant(url: string, token: string): Promise<Room> {
  const room = new Room();
  await room.connect(url, token, { autoSubscribe: true, dynacast: false });
  return room;
}
