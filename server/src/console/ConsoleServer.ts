import {
  type AgentPresence,
  CONSOLE_NAMESPACE,
  type ConsoleAck,
  type ConsoleError,
  ConsoleErrorCodeSchema,
  type ConsoleNotificationName,
  type ConsoleNotifications,
  type ConsoleReplies,
  type ConsoleRequestName,
  ConsoleRequestSchemas,
  formatZodError,
  grantsForRole,
  type HandoffAcceptance,
  INTERNAL_ERROR,
  type MediaTicket,
  toWireError,
} from '@voiceroom/protocol';
import { decodeJwt } from 'jose';
import type { Namespace, Server, Socket } from 'socket.io';
import { roomRoleForUser, STAFF_ROLES, type UserRole } from '../auth/roles.ts';
import type { PublicUser } from '../auth/SessionService.ts';
import type { AccessClaims, TokenService } from '../auth/TokenService.ts';
import { createLogger, type Logger } from '../log.ts';
import type { MediaTicketRequest } from '../media/SfuBackend.ts';
import { HandshakeRefusal } from '../signaling/HandshakeRefusal.ts';
import type { ConsoleRelay, Notice } from './ConsoleRelay.ts';
import { type Accepter, ConsoleFailure } from './HandoffDesk.ts';
import type { SharedPresence } from './SharedPresence.ts';

export interface ConsoleServerOptions {
  io: Server;
  tokens: Pick<TokenService, 'verifyAccessToken' | 'issueRoomToken'>;
  /** The account as it is now (role, disabled): server/src/auth/SessionService.ts SessionService.getUser. */
  users: { getUser(id: string): Promise<PublicUser | null> };
  /** Calls, handoff requests and callbacks of every server process. */
  relay: ConsoleRelay;
  presence: SharedPresence;
  /** The accepting staff member's way into the call's media (SfuBackend.mediaTicket). */
  mediaTicket: (request: MediaTicketRequest) => Promise<MediaTicket>;
  logger?: Logger;
}

interface ConsoleSession {
  claims: AccessClaims;
  /** When the access token stops being valid (ms since the epoch). */
  expiresAt: number;
  user: Accepter;
}

const STAFF = 'staff';

/**
 * The human agents' console channel on socket.io namespace /console (protocol: packages/protocol/src/console.ts):
 * staff access tokens only, checked at the handshake and again (expiry) on every request. Pushes the live call
 * list, handoff requests (to available agents only), callback requests and presence of every server process (the
 * relay and shared presence); takes presence changes and handoff answers.
 */
export class ConsoleServer {
  readonly #options: ConsoleServerOptions;
  readonly #namespace: Namespace;
  readonly #log: Logger;
  readonly #off: (() => void)[] = [];
  readonly #lastPresence = new Map<string, string>();

  constructor(options: ConsoleServerOptions) {
    this.#options = options;
    this.#log = options.logger ?? createLogger('console');
    this.#namespace = options.io.of(CONSOLE_NAMESPACE);
    this.#namespace.use((socket, next) => {
      this.#authenticate(socket).then(
        () => next(),
        (error: unknown) => next(new HandshakeRefusal(error, ConsoleErrorCodeSchema.options)),
      );
    });
    this.#namespace.on('connection', (socket) =>
      this.#onConnection(socket).catch((error: unknown) => {
        this.#log.error({ err: error }, 'could not send the console its state');
        socket.disconnect(true);
      }),
    );
    const { relay, presence } = options;
    const onNotice = (...[name, payload]: Notice) => {
      if (name !== 'handoff.requested') return this.#toStaff(name, payload as never);
      for (const socket of this.#sockets()) {
        if (presence.isAvailable(sessionOf(socket).user.userId)) this.#send(socket, name, payload);
      }
    };
    const onPresence = (agent: AgentPresence) => {
      this.#toStaff('presence.changed', { agent });
      // Back from busy or away: show what is waiting (a console that just connected has it in console.state).
      const was = this.#lastPresence.get(agent.userId);
      this.#lastPresence.set(agent.userId, agent.presence);
      if (agent.presence === 'available' && (was === 'busy' || was === 'away'))
        this.#offerPending(agent.userId);
    };
    relay.on('notice', onNotice);
    presence.on('changed', onPresence);
    this.#off.push(
      () => relay.off('notice', onNotice),
      () => presence.off('changed', onPresence),
    );
  }

  close(): void {
    for (const off of this.#off.splice(0)) off();
    this.#namespace.disconnectSockets(true);
  }

  async #authenticate(socket: Socket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new ConsoleFailure(
        'unauthorized',
        'Connect with auth: { token } holding your access token from POST /api/auth/login.',
      );
    }
    let claims: AccessClaims;
    try {
      claims = await this.#options.tokens.verifyAccessToken(token);
    } catch {
      throw new ConsoleFailure(
        'unauthorized',
        'The access token is invalid or expired: refresh it (POST /api/auth/refresh) and reconnect.',
      );
    }
    if (!STAFF_ROLES.includes(claims.role)) {
      throw new ConsoleFailure('forbidden', 'The console is for human agents, supervisors and admins.');
    }
    const user = await this.#options.users.getUser(claims.id);
    if (!user || !STAFF_ROLES.includes(user.role)) {
      throw new ConsoleFailure('forbidden', 'This account may not use the console (disabled or not staff).');
    }
    const exp = decodeJwt(token).exp ?? 0;
    socket.data = {
      claims,
      expiresAt: exp * 1000,
      user: { userId: user.id, displayName: user.displayName, role: user.role },
    } satisfies ConsoleSession;
  }

  async #onConnection(socket: Socket): Promise<void> {
    const session = sessionOf(socket);
    const { presence, relay } = this.#options;
    socket.join(STAFF);
    const release = presence.connect(session.user);
    socket.once('disconnect', release);
    for (const name of Object.keys(ConsoleRequestSchemas) as ConsoleRequestName[]) {
      socket.on(name, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        this.#handle(socket, name, payload).then(
          (data) => ack({ ok: true, data } satisfies ConsoleAck<unknown>),
          (error: unknown) =>
            ack({ ok: false, error: this.#toError(error, name) } satisfies ConsoleAck<unknown>),
        );
      });
    }
    const me = presence.get(session.user.userId);
    if (!me || socket.disconnected) return;
    this.#send(socket, 'console.state', {
      me,
      calls: await relay.calls(),
      handoffs: me.presence === 'available' ? relay.pending : [],
      agents: presence.list(),
    });
  }

  async #handle<N extends ConsoleRequestName>(
    socket: Socket,
    name: N,
    payload: unknown,
  ): Promise<ConsoleReplies[N]> {
    const session = sessionOf(socket);
    if (Date.now() >= session.expiresAt) {
      throw new ConsoleFailure(
        'token_expired',
        'Your access token expired: refresh it and reconnect the console.',
      );
    }
    const parsed = ConsoleRequestSchemas[name].safeParse(payload);
    if (!parsed.success) {
      throw new ConsoleFailure(
        'bad_request',
        formatZodError(parsed.error, { what: `Invalid ${name}` }).message,
      );
    }
    const { user } = session;
    switch (name) {
      case 'presence.set': {
        const { presence } = parsed.data as { presence: 'available' | 'busy' | 'away' };
        return { agent: this.#options.presence.set(user.userId, presence) } as ConsoleReplies[N];
      }
      case 'handoff.accept':
        return (await this.#accept(
          user,
          (parsed.data as { requestId: string }).requestId,
        )) as ConsoleReplies[N];
      default:
        await this.#options.relay.decline(user, (parsed.data as { requestId: string }).requestId);
        return {} as ConsoleReplies[N];
    }
  }

  async #accept(user: Accepter, requestId: string): Promise<HandoffAcceptance> {
    // The account's current role, not the token's (it may predate a demotion), as POST /api/rooms/:id/token does.
    const account = await this.#options.users.getUser(user.userId);
    const role = account ? roomRoleForUser(account.role as UserRole) : undefined;
    if (!account || !role) throw new ConsoleFailure('forbidden', 'This account may not take calls any more.');
    const request = await this.#options.relay.accept(user, requestId);
    const issued = await this.#options.tokens.issueRoomToken({
      identity: account.id,
      name: account.displayName,
      room: request.roomId,
      role,
    });
    return {
      requestId,
      callId: request.callId,
      roomId: request.roomId,
      token: issued.token,
      expiresIn: issued.expiresIn,
      role,
      grants: grantsForRole(role),
      iceServers: [],
      media: await this.#options.mediaTicket({
        roomId: request.roomId,
        identity: account.id,
        name: account.displayName,
        role,
      }),
    };
  }

  #offerPending(userId: string): void {
    const pending = this.#options.relay.pending;
    if (pending.length === 0) return;
    for (const socket of this.#sockets()) {
      if (sessionOf(socket).user.userId !== userId) continue;
      for (const request of pending) this.#send(socket, 'handoff.requested', { request });
    }
  }

  #sockets(): Socket[] {
    return [...this.#namespace.sockets.values()];
  }

  #toStaff<N extends ConsoleNotificationName>(name: N, payload: ConsoleNotifications[N]): void {
    this.#namespace.to(STAFF).emit(name, payload);
  }

  #send<N extends ConsoleNotificationName>(socket: Socket, name: N, payload: ConsoleNotifications[N]): void {
    socket.emit(name, payload);
  }

  #toError(error: unknown, name: string): ConsoleError {
    const wire = toWireError(error, ConsoleErrorCodeSchema.options);
    if (wire.code === INTERNAL_ERROR)
      this.#log.error({ err: error, request: name }, 'console request failed');
    return wire;
  }
}

function sessionOf(socket: Socket): ConsoleSession {
  return socket.data as ConsoleSession;
}
