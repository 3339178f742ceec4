import {
  type AgentPresence,
  type CallbackRequest,
  ConsoleClient,
  type LiveCall as FeedCall,
  type HandoffRequest as FeedRequest,
  TypedEmitter,
  VoiceRoomError,
} from '@voiceroom/sdk';
import type { ConsoleApi, StaffRoomTicket } from './ConsoleApi.ts';
import type {
  Availability,
  ConsoleDataEvents,
  ConsoleDataSource,
  HandoffRequest,
  LiveCallRow,
} from './ConsoleDataSource.ts';

/** How long a request someone else accepted stays in the queue marked "taken by". */
const TAKEN_SHOWN_MS = 10_000;

/**
 * The console's live data from the server's `/console` channel (the SDK's ConsoleClient): live calls with the AI's
 * state, sentiment, handoff flag and order so far, the handoff queue, callbacks to make (GET /api/callbacks at each
 * connection, then pushes), and this agent's presence. The channel reads the
 * access token at every (re)connection, renewed when about to expire; a refused first connection and a request
 * answered `token_expired` renew the session and are retried once.
 */
export class SocketDataSource extends TypedEmitter<ConsoleDataEvents> implements ConsoleDataSource {
  readonly #api: ConsoleApi;
  readonly #url: string;
  #client: ConsoleClient | null = null;
  /** Bumped by start/stop so that a connection finishing after stop() is closed, not used. */
  #generation = 0;
  #availability: Availability = 'available';
  /** Requests someone else accepted, shown for a while with who took them. */
  readonly #taken = new Map<string, HandoffRequest>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  /** What the queue showed last, to keep a request someone else took visible. */
  #lastHandoffs = new Map<string, HandoffRequest>();
  /** Open callbacks: the server's list at each (re)connection plus what was pushed since. */
  readonly #callbacks = new Map<string, CallbackRequest>();

  constructor(api: ConsoleApi, url = location.origin) {
    super();
    this.#api = api;
    this.#url = url;
  }

  get availability(): Availability {
    return this.#availability;
  }

  start(): void {
    this.stop();
    void this.#connect()
      .catch(async (error: unknown) => {
        // A token refused although it looked fresh (revoked, or the clocks disagree): renew once and try again.
        if ((error as { code?: unknown }).code !== 'unauthorized' || !(await this.#api.refresh()))
          throw error;
        return this.#connect();
      })
      .catch((error: unknown) => this.#failed(error));
  }

  stop(): void {
    this.#generation++;
    this.#client?.close();
    this.#client = null;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#taken.clear();
    this.#callbacks.clear();
  }

  async setAvailability(availability: Availability): Promise<void> {
    const agent = await this.#request((client) => client.setPresence(availability));
    this.#presence(agent);
  }

  async acceptHandoff(
    request: HandoffRequest,
  ): Promise<Pick<StaffRoomTicket, 'token' | 'iceServers' | 'media'>> {
    const acceptance = await this.#request((client) => client.acceptHandoff(request.id));
    this.#emitHandoffs();
    return { token: acceptance.token, iceServers: acceptance.iceServers, media: acceptance.media };
  }

  async callbackDone(callback: CallbackRequest): Promise<void> {
    await this.#api.callbackDone(callback.callbackId);
    this.#callbacks.delete(callback.callbackId);
    this.#emitCallbacks();
  }

  async #connect(): Promise<ConsoleClient> {
    const generation = this.#generation;
    const client = await ConsoleClient.connect(this.#url, { token: () => this.#api.accessToken() });
    if (generation !== this.#generation) {
      client.close();
      throw new VoiceRoomError('disconnected', 'the console feed was stopped');
    }
    this.#client = client;
    this.#wire(client);
    this.#presence(client.me);
    this.#emitCalls();
    this.#emitHandoffs();
    this.#loadCallbacks();
    return client;
  }

  /** Pushes are missed while disconnected: the list is read again at every (re)connection. */
  #loadCallbacks(): void {
    const generation = this.#generation;
    this.#api.openCallbacks().then(
      (callbacks) => {
        if (generation !== this.#generation) return;
        this.#callbacks.clear();
        for (const callback of callbacks) this.#callbacks.set(callback.callbackId, callback);
        this.#emitCallbacks();
      },
      (error: unknown) => this.#failed(error),
    );
  }

  #emitCallbacks(): void {
    const open = [...this.#callbacks.values()].sort((a, b) => b.consentedAt.localeCompare(a.consentedAt));
    this.emit('callbacks', open);
  }

  /** Runs a request; on `token_expired` renews the session, reconnects and retries once. */
  async #request<T>(action: (client: ConsoleClient) => Promise<T>): Promise<T> {
    const client = this.#client;
    if (!client)
      throw new VoiceRoomError('disconnected', 'the live console feed is not connected; wait or reload');
    try {
      return await action(client);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'token_expired') throw error;
      if (!(await this.#api.refresh())) {
        this.#failed(error);
        throw error;
      }
      this.#client?.close();
      this.#client = null;
      return action(await this.#connect());
    }
  }

  #wire(client: ConsoleClient): void {
    client.on('state', () => {
      this.#presence(client.me);
      this.#emitCalls();
      this.#emitHandoffs();
      this.#loadCallbacks();
    });
    client.on('callUpdated', () => this.#emitCalls());
    client.on('callEnded', ({ callId }) => {
      for (const [id, request] of this.#taken) if (request.callId === callId) this.#taken.delete(id);
      this.#emitCalls();
      this.#emitHandoffs();
    });
    client.on('handoffRequested', () => this.#emitHandoffs());
    client.on('handoffAccepted', () => this.#emitHandoffs());
    client.on('handoffTaken', (notice) => this.#markTaken(notice.requestId, notice.acceptedBy.displayName));
    client.on('handoffExpired', () => this.#emitHandoffs());
    client.on('handoffCancelled', () => this.#emitHandoffs());
    client.on('presenceChanged', (agent) => {
      if (agent.userId === client.me?.userId) this.#presence(agent);
    });
    client.on('callbackRequested', (callback) => {
      this.#callbacks.set(callback.callbackId, callback);
      this.#emitCallbacks();
    });
    client.on('refused', (error) => this.#failed(error));
  }

  #markTaken(requestId: string, by: string): void {
    const shown = this.#lastHandoffs.get(requestId);
    if (shown) {
      this.#taken.set(requestId, { ...shown, takenBy: by });
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#taken.delete(requestId);
        this.#emitHandoffs();
      }, TAKEN_SHOWN_MS);
      this.#timers.add(timer);
    }
    this.#emitHandoffs();
  }

  #emitHandoffs(): void {
    const open = (this.#client?.handoffs ?? []).map(toRequest);
    const requests = [...open, ...[...this.#taken.values()].filter((r) => !open.some((o) => o.id === r.id))];
    requests.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    this.#lastHandoffs = new Map(requests.map((r) => [r.id, r]));
    this.emit('handoffs', requests);
  }

  #emitCalls(): void {
    const calls = (this.#client?.calls ?? []).map(toRow);
    calls.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    this.emit('calls', calls);
  }

  #presence(agent: AgentPresence | undefined): void {
    if (!agent || agent.chosen === this.#availability) return;
    this.#availability = agent.chosen;
    this.emit('availability', agent.chosen);
  }

  #failed(error: unknown): void {
    const signedOut = this.#api.user === null;
    if (signedOut) this.stop();
    this.emit('error', { error, signedOut });
  }
}

function toRow(call: FeedCall): LiveCallRow {
  return {
    id: call.callId,
    roomId: call.roomId,
    agentId: call.agentId,
    displayName: call.customerName ?? 'Caller',
    startedAt: call.startedAt,
    aiState: call.aiState,
    sentiment: call.sentiment.label,
    handoffRequested: call.handoff?.status === 'pending',
    orderSoFar: call.order,
  };
}

function toRequest(request: FeedRequest): HandoffRequest {
  const { summary } = request;
  return {
    id: request.requestId,
    callId: request.callId,
    roomId: request.roomId,
    reason: summary.reason,
    customerName: summary.customerName,
    sentiment: summary.sentiment.label,
    orderSoFar: summary.order,
    lastTurns: summary.lastTurns.map((turn) => ({ speaker: turn.speaker, text: turn.text })),
    requestedAt: request.createdAt,
    takenBy: null,
  };
}
