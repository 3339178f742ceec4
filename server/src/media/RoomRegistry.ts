import type { CallEventBus } from '../CallEventBus.ts';
import { createLogger, type Logger } from '../log.ts';
import { callEndedError, MediaError } from './errors.ts';
import type { MediaNetworkOptions } from './mediaOptions.ts';
import { Room } from './Room.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface RoomRegistryOptions {
  pool: WorkerPool;
  network: MediaNetworkOptions;
  bus: CallEventBus;
  logger?: Logger;
  /**
   * A room whose last human left (or dropped and did not resume within the signaling's reconnect grace) closes after
   * this long unless someone joins: time for a client whose resume failed to rejoin from scratch. Default 5 s.
   */
  emptyRoomGraceMs?: number;
  /** A room nobody human has joined yet (e.g. the agent came first) closes after this long. Default 60 s. */
  firstJoinTimeoutMs?: number;
}

const MAX_FINISHED_ROOMS = 10_000;

/**
 * The live rooms of this server, one per room id, each on a worker of the pool (round robin). A room closes itself
 * when its worker dies; the registry closes rooms left without humans after a grace period.
 */
export class RoomRegistry {
  readonly #pool: WorkerPool;
  readonly #network: MediaNetworkOptions;
  readonly #bus: CallEventBus;
  readonly #log: Logger;
  readonly #emptyGraceMs: number;
  readonly #firstJoinTimeoutMs: number;
  readonly #rooms = new Map<string, Room>();
  readonly #creating = new Map<string, Promise<Room>>();
  readonly #emptyTimers = new Map<string, NodeJS.Timeout>();
  /** Rooms that closed for good (no rejoin hint), oldest first: their tokens may not open them again. */
  readonly #finished = new Set<string>();
  #closed = false;

  constructor(options: RoomRegistryOptions) {
    this.#pool = options.pool;
    this.#network = options.network;
    this.#bus = options.bus;
    this.#log = options.logger ?? createLogger('media.rooms');
    this.#emptyGraceMs = options.emptyRoomGraceMs ?? 5_000;
    this.#firstJoinTimeoutMs = options.firstJoinTimeoutMs ?? 60_000;
  }

  get size(): number {
    return this.#rooms.size;
  }

  get rooms(): Room[] {
    return [...this.#rooms.values()];
  }

  get(roomId: string): Room | undefined {
    return this.#rooms.get(roomId);
  }

  /** The open room with this id, created (router on the next worker) if there is none. */
  async getOrCreate(roomId: string, options: { agentId?: string | null } = {}): Promise<Room> {
    if (this.#closed)
      throw new MediaError('room_closed', 'The server is shutting down: reconnect in a moment.');
    const existing = this.#rooms.get(roomId);
    if (existing && !existing.closed) return existing;
    if (this.#finished.has(roomId)) throw callEndedError();
    let pending = this.#creating.get(roomId);
    if (!pending) {
      pending = this.#create(roomId, options.agentId ?? null).finally(() => this.#creating.delete(roomId));
      this.#creating.set(roomId, pending);
    }
    return pending;
  }

  /** Closes every room (server shutdown); clients are told they may rejoin (another instance may serve them). */
  close(reason = 'server_shutdown'): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#emptyTimers.values()) clearTimeout(timer);
    this.#emptyTimers.clear();
    for (const room of this.rooms) room.close(reason, true);
  }

  async #create(roomId: string, agentId: string | null): Promise<Room> {
    const worker = await this.#pool.getWorker();
    const room = await Room.create({
      id: roomId,
      agentId,
      worker,
      network: this.#network,
      bus: this.#bus,
      logger: this.#log,
    });
    if (this.#closed) {
      room.close('server_shutdown', true);
      throw new MediaError('room_closed', 'The server is shutting down: reconnect in a moment.');
    }
    this.#rooms.set(roomId, room);
    room.on('peeradded', (peer) => {
      if (peer.kind === 'agent') return;
      this.#cancelEmptyTimer(roomId);
    });
    room.on('peerremoved', (_peer, humans) => {
      if (humans === 0) this.#startEmptyTimer(room, this.#emptyGraceMs, 'room_empty');
    });
    room.once('close', (reason, rejoin) => {
      this.#cancelEmptyTimer(roomId);
      if (this.#rooms.get(roomId) === room) this.#rooms.delete(roomId);
      if (!rejoin) this.#rememberFinished(roomId);
      this.#bus.emit('room.closed', { roomId, reason });
    });
    this.#startEmptyTimer(room, this.#firstJoinTimeoutMs, 'nobody_joined');
    this.#log.info({ roomId, agentId, workerPid: worker.pid }, 'room created');
    this.#bus.emit('room.created', { roomId, agentId });
    return room;
  }

  #rememberFinished(roomId: string): void {
    this.#finished.add(roomId);
    // Bounded; older rooms are covered by the calls table (SignalingOptions.callEndReason) and by token expiry.
    if (this.#finished.size > MAX_FINISHED_ROOMS) {
      this.#finished.delete(this.#finished.values().next().value as string);
    }
  }

  #startEmptyTimer(room: Room, delayMs: number, reason: string): void {
    this.#cancelEmptyTimer(room.id);
    const timer = setTimeout(() => {
      this.#emptyTimers.delete(room.id);
      if (room.connectedHumanCount === 0) room.close(reason);
    }, delayMs);
    timer.unref();
    this.#emptyTimers.set(room.id, timer);
  }

  #cancelEmptyTimer(roomId: string): void {
    const timer = this.#emptyTimers.get(roomId);
    if (timer) clearTimeout(timer);
    this.#emptyTimers.delete(roomId);
  }
}
