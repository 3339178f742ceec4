import {
  type AgentPresence,
  type CallbackRequest,
  type CallEndedNotice,
  CONSOLE_NAMESPACE,
  type ConsoleNotificationName,
  ConsoleNotificationSchemas,
  type ConsoleNotifications,
  type ConsoleReplies,
  ConsoleReplySchemas,
  type ConsoleRequestName,
  type ConsoleState,
  type HandoffAcceptance,
  type HandoffAcceptedNotice,
  type HandoffCancelledNotice,
  type HandoffClosedNotice,
  type HandoffRequest,
  INTERNAL_ERROR,
  type LiveCall,
  type Presence,
} from '@voiceroom/protocol';
import { io, type Socket } from 'socket.io-client';
import { SdkErrorCode, VoiceRoomError } from './errors.ts';
import { handshakeError, openSocket } from './socketHandshake.ts';
import { TypedEmitter } from './TypedEmitter.ts';

const CONSOLE_CHANNEL = 'the console channel';

export interface ConsoleClientOptions {
  /** The staff access token, or a function returning a fresh one (read at every (re)connection). */
  token: string | (() => string | Promise<string>);
  /** socket.io transports, in order of preference (default: websocket only). */
  transports?: ('websocket' | 'polling' | 'webtransport')[];
  /** How long one request waits for its ack (default 10 s). */
  requestTimeoutMs?: number;
}

export type ConsoleClientEvents = {
  /** The whole picture, after every (re)connection. */
  state: ConsoleState;
  /** A live call started or changed (AI state, sentiment, order so far, handoff flag, takeover). */
  callUpdated: LiveCall;
  callEnded: CallEndedNotice;
  /** A caller needs a person (sent while you are available). */
  handoffRequested: HandoffRequest;
  /** You accepted it (also answered by `acceptHandoff`). */
  handoffAccepted: HandoffAcceptedNotice;
  /** Someone else accepted it first. */
  handoffTaken: HandoffAcceptedNotice;
  /** Nobody accepted in time: the AI told the caller and carries on. */
  handoffExpired: HandoffClosedNotice;
  /** The call ended before anyone accepted. */
  handoffCancelled: HandoffCancelledNotice;
  /** A human agent's presence changed (yours included). */
  presenceChanged: AgentPresence;
  /** Nobody took a caller's handoff and they agreed to be called back (the list: GET /api/callbacks). */
  callbackRequested: CallbackRequest;
  connected: { reconnect: boolean };
  disconnected: { reason: string; willReconnect: boolean };
  /** A reconnection was refused (e.g. the token expired and no fresh one was given): the client gave up. */
  refused: VoiceRoomError;
  /** A message from the server failed validation and was dropped. */
  protocolError: VoiceRoomError;
};

/**
 * A human agent's console connection (socket.io `/console`, protocol in protocol/console.ts): the live call list,
 * the handoff queue and everyone's presence, kept current from the server's pushes, plus the agent's own actions.
 * To take a call: `acceptHandoff(id)` -> `connect(url, acceptance.token)` -> `room.copilot.takeOver()` (the AI is
 * already silent from the accept on).
 */
export class ConsoleClient extends TypedEmitter<ConsoleClientEvents> {
  readonly #socket: Socket;
  readonly #requestTimeoutMs: number;
  readonly #calls = new Map<string, LiveCall>();
  readonly #handoffs = new Map<string, HandoffRequest>();
  readonly #agents = new Map<string, AgentPresence>();
  #me: AgentPresence | undefined;
  #everConnected = false;

  /** Connects and resolves once the first `state` arrived; rejects with the server's code (`unauthorized`, `forbidden`). */
  static async connect(url: string, options: ConsoleClientOptions): Promise<ConsoleClient> {
    const client = new ConsoleClient(url, options);
    const state = client.waitFor('state', 10_000);
    await openSocket(client.#socket, CONSOLE_CHANNEL);
    await state;
    return client;
  }

  private constructor(url: string, options: ConsoleClientOptions) {
    super();
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    const { token } = options;
    this.#socket = io(`${url.replace(/\/+$/, '')}${CONSOLE_NAMESPACE}`, {
      autoConnect: false,
      transports: options.transports ?? ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      auth: (cb) => {
        void Promise.resolve(typeof token === 'function' ? token() : token).then((t) => cb({ token: t }));
      },
    });
    this.#socket.on('connect', () => {
      const reconnect = this.#everConnected;
      this.#everConnected = true;
      this.emit('connected', { reconnect });
    });
    this.#socket.on('disconnect', (reason) =>
      this.emit('disconnected', { reason, willReconnect: this.#socket.active }),
    );
    this.#socket.on('connect_error', (error) => {
      if (this.#everConnected && !this.#socket.active)
        this.emit('refused', handshakeError(error, CONSOLE_CHANNEL));
    });
    for (const name of Object.keys(ConsoleNotificationSchemas) as ConsoleNotificationName[]) {
      this.#socket.on(name, (payload: unknown) => this.#onNotification(name, payload));
    }
  }

  get me(): AgentPresence | undefined {
    return this.#me;
  }

  /** Live calls, as last pushed. */
  get calls(): LiveCall[] {
    return [...this.#calls.values()];
  }

  /** Pending handoff requests offered to you. */
  get handoffs(): HandoffRequest[] {
    return [...this.#handoffs.values()];
  }

  /** Human agents with a console open. */
  get agents(): AgentPresence[] {
    return [...this.#agents.values()].filter((a) => a.presence !== 'offline');
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  async setPresence(presence: Presence): Promise<AgentPresence> {
    const { agent } = await this.#request('presence.set', { presence });
    this.#presence(agent);
    return agent;
  }

  /** Rejects with `handoff_taken` (someone was faster) or `handoff_expired`. */
  async acceptHandoff(requestId: string): Promise<HandoffAcceptance> {
    const acceptance = await this.#request('handoff.accept', { requestId });
    this.#handoffs.delete(requestId);
    return acceptance;
  }

  async declineHandoff(requestId: string): Promise<void> {
    await this.#request('handoff.decline', { requestId });
    this.#handoffs.delete(requestId);
  }

  close(): void {
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
    this.removeAllListeners();
  }

  async #request<N extends ConsoleRequestName>(name: N, data: unknown): Promise<ConsoleReplies[N]> {
    if (!this.#socket.connected) {
      throw new VoiceRoomError(
        SdkErrorCode.disconnected,
        `cannot send "${name}": the console is not connected`,
      );
    }
    let ack: unknown;
    try {
      ack = await this.#socket.timeout(this.#requestTimeoutMs).emitWithAck(name, data);
    } catch (cause) {
      throw new VoiceRoomError(SdkErrorCode.requestTimeout, `"${name}" got no answer; retry`, { cause });
    }
    const {
      ok,
      data: reply,
      error,
    } = (ack ?? {}) as {
      ok?: boolean;
      data?: unknown;
      error?: { code?: unknown; message?: unknown };
    };
    if (ok === false) {
      throw new VoiceRoomError(
        typeof error?.code === 'string' ? error.code : INTERNAL_ERROR,
        typeof error?.message === 'string' ? error.message : `"${name}" failed`,
      );
    }
    const parsed = ConsoleReplySchemas[name].safeParse(reply);
    if (ok !== true || !parsed.success) {
      throw new VoiceRoomError(
        SdkErrorCode.badResponse,
        `the server answered "${name}" with an unexpected shape; check that SDK and server versions match`,
      );
    }
    return parsed.data as ConsoleReplies[N];
  }

  #onNotification<N extends ConsoleNotificationName>(name: N, payload: unknown): void {
    const parsed = ConsoleNotificationSchemas[name].safeParse(payload);
    if (!parsed.success) {
      this.emit(
        'protocolError',
        new VoiceRoomError(SdkErrorCode.badResponse, `dropped an invalid "${name}" notification`),
      );
      return;
    }
    const data = parsed.data as ConsoleNotifications[ConsoleNotificationName];
    switch (name) {
      case 'console.state': {
        const state = data as ConsoleState;
        this.#me = state.me;
        this.#reset(this.#calls, state.calls, (c) => c.callId);
        this.#reset(this.#handoffs, state.handoffs, (r) => r.requestId);
        this.#reset(this.#agents, state.agents, (a) => a.userId);
        this.emit('state', state);
        return;
      }
      case 'call.updated': {
        const { call } = data as ConsoleNotifications['call.updated'];
        this.#calls.set(call.callId, call);
        this.emit('callUpdated', call);
        return;
      }
      case 'call.ended': {
        const ended = data as CallEndedNotice;
        this.#calls.delete(ended.callId);
        this.emit('callEnded', ended);
        return;
      }
      case 'handoff.requested': {
        const { request } = data as ConsoleNotifications['handoff.requested'];
        this.#handoffs.set(request.requestId, request);
        this.emit('handoffRequested', request);
        return;
      }
      case 'handoff.accepted': {
        const notice = data as HandoffAcceptedNotice;
        this.#handoffClosed(
          notice.acceptedBy.userId === this.#me?.userId ? 'handoffAccepted' : 'handoffTaken',
          notice,
        );
        return;
      }
      case 'handoff.expired':
        this.#handoffClosed('handoffExpired', data as HandoffClosedNotice);
        return;
      case 'handoff.cancelled':
        this.#handoffClosed('handoffCancelled', data as HandoffCancelledNotice);
        return;
      case 'callback.requested':
        this.emit('callbackRequested', (data as ConsoleNotifications['callback.requested']).callback);
        return;
      default:
        this.#presence((data as ConsoleNotifications['presence.changed']).agent);
    }
  }

  #handoffClosed<E extends 'handoffAccepted' | 'handoffTaken' | 'handoffExpired' | 'handoffCancelled'>(
    event: E,
    notice: ConsoleClientEvents[E],
  ): void {
    this.#handoffs.delete(notice.requestId);
    this.emit(event, notice);
  }

  #presence(agent: AgentPresence): void {
    this.#agents.set(agent.userId, agent);
    if (agent.userId === this.#me?.userId) this.#me = agent;
    this.emit('presenceChanged', agent);
  }

  #reset<T>(map: Map<string, T>, items: T[], key: (item: T) => string): void {
    map.clear();
    for (const item of items) map.set(key(item), item);
  }
}
