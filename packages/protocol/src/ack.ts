import { z } from 'zod';

/** The reply to a request on a socket.io channel (signaling, agent link): its data, or an error with a code. */
export type Ack<T, E> = { ok: true; data: T } | { ok: false; error: E };

/** `{ code, message }` with the channel's own codes. */
export function errorSchema<C extends z.ZodType>(code: C) {
  return z.object({ code, message: z.string().max(2000) });
}
