import {
  formatZodError,
  INTERNAL_ERROR,
  NOTIFICATION_EVENT,
  REQUEST_EVENT,
  RTC_NAMESPACE,
  type SignalingMethod,
  type SignalingNotification,
  SignalingNotificationSchema,
  type SignalingRequestData,
  type SignalingResponse,
  SignalingResponseSchemas,
} from '@voiceroom/protocol';
import { io, type Socket } from 'socket.io-client';
import { SdkErrorCode, VoiceRoomError } from './errors.ts';
import { handshakeError, openSocket } from './socketHandshake.ts';
import { TypedEmitter } from './TypedEmitter.ts';

const SIGNALING_SERVER = "the room's signaling server";

export interface SignalingClientOptions {
  /** Server origin, e.g. `https://calls.example.com`; the `/rtc` namespace is appended. */
  url: string;
  token: string;
  /** socket.io transports, in order of preference (default: websocket only, no CORS needed cross-origin). */
  transports?: ('websocket' | 'polling' | 'webtransport')[];
  /** How long one request waits for its ack (default 10 s). */
  requestTimeoutMs?: number;
}

export type SignalingClientEvents = {
  /** Validated server notification. */
  notification: SignalingNotification;
  /** The socket (re)connected; `reconnect` is false only for the first connection. */
  connected: { reconnect: boolean };
  /** The socket dropped; `willReconnect` says whether socket.io is retrying on its own. */
  disconnected: { reason: string; willReconnect: boolean };
  /** A reconnection attempt was refused by the server (e.g. the token expired): the client has given up. */
  refused: VoiceRoomError;
  /** A message from the server failed validation and was dropped. */
  protocolError: VoiceRoomError;
};

const AckSchemaError = (method: string, detail: string): VoiceRoomError =>
  new VoiceRoomError(
    SdkErrorCode.badResponse,
    `server answered "${method}" with an unexpected shape (${detail}); check that SDK and server versions match`,
  );

/** socket.io connection to a room's signaling namespace: typed requests with acks, validated notifications. */
export class SignalingClient extends TypedEmitter<SignalingClientEvents> {
  readonly #socket: Socket;
  readonly #requestTimeoutMs: number;
  #resumePeerId: string | undefined;
  #everConnected = false;
  #closed = false;

  constructor(options: SignalingClientOptions) {
    super();
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    const base = options.url.replace(/\/+$/, '');
    this.#socket = io(`${base}${RTC_NAMESPACE}`, {
      autoConnect: false,
      transports: options.transports ?? ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      // A connection attempt that neither opens nor fails (a dropped SYN after a network switch, a half-open
      // proxy) is abandoned and retried after this long; socket.io's 20 s default is too slow for a live call.
      timeout: 5_000,
      // Read at every (re)connection, so a reconnect resumes the peer the server kept for us.
      auth: (cb) =>
        cb(
          this.#resumePeerId
            ? { token: options.token, resumePeerId: this.#resumePeerId }
            : { token: options.token },
        ),
    });
    this.#socket.on('connect', () => {
      const reconnect = this.#everConnected;
      this.#everConnected = true;
      this.emit('connected', { reconnect });
    });
    this.#socket.on('disconnect', (reason) => {
      // After a server- or client-initiated disconnect socket.io does not retry by itself.
      this.emit('disconnected', { reason, willReconnect: this.#socket.active });
    });
    this.#socket.on('connect_error', (error) => {
      if (this.#everConnected && !this.#socket.active)
        this.emit('refused', handshakeError(error, SIGNALING_SERVER));
    });
    this.#socket.on(NOTIFICATION_EVENT, (message: unknown) => this.#onNotification(message));
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** The peer id sent as `resumePeerId` on reconnection (set after a successful join). */
  get resumePeerId(): string | undefined {
    return this.#resumePeerId;
  }

  set resumePeerId(peerId: string | undefined) {
    this.#resumePeerId = peerId;
  }

  /** Opens the first connection; rejects with the server's code (e.g. `unauthorized`) when refused. */
  connect(): Promise<void> {
    return openSocket(this.#socket, SIGNALING_SERVER);
  }

  /** Drops the current connection and connects again as a new peer (no resume). */
  async reconnectFresh(): Promise<void> {
    this.#resumePeerId = undefined;
    this.#socket.disconnect();
    await this.connect();
  }

  async request<M extends SignalingMethod>(
    method: M,
    data: SignalingRequestData<M> = {} as SignalingRequestData<M>,
  ): Promise<SignalingResponse<M>> {
    if (this.#closed || !this.#socket.connected) {
      throw new VoiceRoomError(
        SdkErrorCode.disconnected,
        `cannot send "${method}": not connected to the room; wait for the connection to come back`,
      );
    }
    let ack: unknown;
    try {
      ack = await this.#socket.timeout(this.#requestTimeoutMs).emitWithAck(REQUEST_EVENT, { method, data });
    } catch (cause) {
      throw new VoiceRoomError(
        SdkErrorCode.requestTimeout,
        `"${method}" got no answer within ${this.#requestTimeoutMs} ms; the server may be overloaded, retry`,
        { cause },
      );
    }
    return parseAck(method, ack);
  }

  close(): void {
    this.#closed = true;
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
    this.removeAllListeners();
  }

  #onNotification(message: unknown): void {
    const parsed = SignalingNotificationSchema.safeParse(message);
    if (!parsed.success) {
      const method = (message as { method?: unknown } | null)?.method;
      this.emit(
        'protocolError',
        new VoiceRoomError(
          SdkErrorCode.badResponse,
          formatZodError(parsed.error, {
            what: `dropped an invalid "${String(method)}" notification`,
            limit: 1,
          }).message,
        ),
      );
      return;
    }
    this.emit('notification', parsed.data);
  }
}

/** Validates an ack: `{ ok: true, data }` parsed by the method's response schema, or the server's error. */
export function parseAck<M extends SignalingMethod>(method: M, ack: unknown): SignalingResponse<M> {
  if (typeof ack !== 'object' || ack === null || typeof (ack as { ok?: unknown }).ok !== 'boolean') {
    throw AckSchemaError(method, 'not an ack object');
  }
  const { ok, data, error } = ack as {
    ok: boolean;
    data?: unknown;
    error?: { code?: unknown; message?: unknown };
  };
  if (!ok) {
    const code = typeof error?.code === 'string' ? error.code : INTERNAL_ERROR;
    const message = typeof error?.message === 'string' ? error.message : `"${method}" failed`;
    throw new VoiceRoomError(code, message);
  }
  const parsed = SignalingResponseSchemas[method].safeParse(data);
  if (!parsed.success) throw AckSchemaError(method, formatZodError(parsed.error, { limit: 1 }).message);
  return parsed.data as SignalingResponse<M>;
}
