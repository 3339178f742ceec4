import {
  CodedError,
  RTC_NAMESPACE,
  type SignalingAck,
  SignalingErrorSchema,
  type SignalingMethod,
  type SignalingNotification,
  type SignalingNotificationData,
  type SignalingNotificationMethod,
  SignalingNotificationSchema,
  type SignalingRequestData,
  type SignalingResponse,
  SignalingResponseSchemas,
} from '@voiceroom/protocol';
import { io, type Socket } from 'socket.io-client';

import { opusRtpParameters } from '../../../test/helpers/opusRtp.ts';

export { opusRtpParameters };

/**
 * A Node-side signaling client (no browser media): speaks the /rtc protocol and records notifications. Every reply
 * and notification the server sends is checked against the protocol's schemas (a contract test on every use).
 */
export interface RtcTestClient {
  socket: Socket;
  notifications: SignalingNotification[];
  /** Sends a request; resolves with the raw ack. */
  ack<M extends SignalingMethod>(
    method: M,
    data?: SignalingRequestData<M>,
  ): Promise<SignalingAck<SignalingResponse<M>>>;
  /** Sends a request; resolves with the data or throws an Error whose `code` is the refusal's. */
  request<M extends SignalingMethod>(
    method: M,
    data?: SignalingRequestData<M>,
  ): Promise<SignalingResponse<M>>;
  next<M extends SignalingNotificationMethod>(
    method: M,
    predicate?: (data: SignalingNotificationData<M>) => boolean,
    timeoutMs?: number,
  ): Promise<SignalingNotificationData<M>>;
  close(): void;
}

export async function connectRtc(
  url: string,
  token: string,
  options: { resumePeerId?: string; reconnection?: boolean } = {},
): Promise<RtcTestClient> {
  const socket = io(`${url}${RTC_NAMESPACE}`, {
    auth: { token, ...(options.resumePeerId ? { resumePeerId: options.resumePeerId } : {}) },
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
  const notifications: SignalingNotification[] = [];
  const waiters = new Set<() => void>();
  socket.on('notification', (n: SignalingNotification) => {
    const checked = SignalingNotificationSchema.safeParse(n);
    if (!checked.success)
      throw new Error(`protocol violation in ${JSON.stringify(n).slice(0, 300)}: ${checked.error}`);
    notifications.push(n);
    for (const w of [...waiters]) w();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });

  const ack: RtcTestClient['ack'] = async (method, data) => {
    const reply = (await socket
      .timeout(10_000)
      .emitWithAck('request', { method, data })) as SignalingAck<unknown>;
    const checked = reply.ok
      ? SignalingResponseSchemas[method].safeParse(reply.data)
      : SignalingErrorSchema.safeParse(reply.error);
    if (!checked.success) throw new Error(`protocol violation in the ${method} reply: ${checked.error}`);
    return reply as never;
  };
  const next = ((
    method: SignalingNotificationMethod,
    predicate: (data: unknown) => boolean = () => true,
    timeoutMs = 5000,
  ) => {
    const find = () => notifications.find((n) => n.method === method && predicate(n.data))?.data;
    return new Promise<unknown>((resolve, reject) => {
      const found = find();
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${method} notification within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(hit);
      };
      waiters.add(check);
    });
  }) as RtcTestClient['next'];
  return {
    socket,
    notifications,
    ack,
    async request(method, data) {
      const reply = await ack(method, data);
      if (!reply.ok) throw new CodedError(reply.error.code, `${method}: ${reply.error.message}`);
      return reply.data;
    },
    next,
    close() {
      socket.disconnect();
    },
  };
}

/** Opus send parameters as a browser would produce them (for a producer that never actually sends). */
export const FAKE_DTLS = {
  role: 'client' as const,
  fingerprints: [{ algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};

/** Joins with the router's own capabilities (a client that supports exactly what the room offers). */
export async function joinRoom(client: RtcTestClient) {
  const rtpCapabilities = await client.request('getRouterRtpCapabilities');
  return client.request('join', { rtpCapabilities });
}

/** join + send transport + producer; returns the ids. */
export async function joinAndProduce(client: RtcTestClient, ssrc: number) {
  const joined = await joinRoom(client);
  const send = await client.request('createWebRtcTransport', { direction: 'send' });
  await client.request('connectWebRtcTransport', { transportId: send.id, dtlsParameters: FAKE_DTLS });
  const { producerId } = await client.request('produce', {
    transportId: send.id,
    kind: 'audio',
    rtpParameters: opusRtpParameters(ssrc),
  });
  return { joined, sendTransportId: send.id, producerId };
}
