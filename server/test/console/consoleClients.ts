import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import {
  AGENTS_NAMESPACE,
  AgentLinkEvents,
  CONSOLE_NAMESPACE,
  type ConsoleAck,
  type ConsoleNotificationName,
  ConsoleNotificationSchemas,
  type ConsoleNotifications,
  type ConsoleReplies,
  type ConsoleRequestName,
  type SessionDispatch,
} from '@voiceroom/protocol';
import { io, type Socket } from 'socket.io-client';

export interface Received<N extends ConsoleNotificationName = ConsoleNotificationName> {
  name: N;
  data: ConsoleNotifications[N];
  at: number;
}

/**
 * A console as a human agent's browser would hold it: socket.io /console with an access token. Every notification
 * is checked against the protocol's schema (a contract test on every use) and kept with its arrival time.
 */
export async function connectConsole(url: string, token: string) {
  const socket = io(`${url}${CONSOLE_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const received: Received[] = [];
  for (const name of Object.keys(ConsoleNotificationSchemas) as ConsoleNotificationName[]) {
    socket.on(name, (data: unknown) => {
      const checked = ConsoleNotificationSchemas[name].safeParse(data);
      if (!checked.success) throw new Error(`protocol violation in ${name}: ${checked.error}`);
      received.push({ name, data: checked.data as never, at: performance.now() });
    });
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    received,
    of<N extends ConsoleNotificationName>(name: N): Received<N>[] {
      return received.filter((r): r is Received<N> => r.name === name);
    },
    request<N extends ConsoleRequestName>(name: N, data: unknown): Promise<ConsoleAck<ConsoleReplies[N]>> {
      return socket.timeout(10_000).emitWithAck(name, data) as Promise<ConsoleAck<ConsoleReplies[N]>>;
    },
    close() {
      socket.disconnect();
    },
  };
}

export type ConsoleClient = Awaited<ReturnType<typeof connectConsole>>;

/** The code of a refused console connection. */
export async function consoleRefusal(url: string, token: string): Promise<string> {
  try {
    const c = await connectConsole(url, token);
    c.close();
    return 'connected';
  } catch (error) {
    return (error as { data?: { code?: string } }).data?.code ?? String(error);
  }
}

/**
 * An agent worker reduced to its link (socket.io /agents with a service token): takes every call on a UDP socket,
 * records what the server sends, and says what a test scripts (e.g. the AI's handoff decision).
 */
export async function connectScriptedWorker(url: string, token: string) {
  const socket: Socket = io(`${url}${AGENTS_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const udp: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const sessions: SessionDispatch[] = [];
  const unanswered: { sessionId: string; requestId: string }[] = [];
  const takeovers: { sessionId: string; active: boolean }[] = [];
  socket.on(AgentLinkEvents.dispatch, (offer: SessionDispatch, ack: (reply: unknown) => void) => {
    sessions.push(offer);
    ack({ ok: true, data: { rtp: { ip: '127.0.0.1', port: udp.address().port } } });
  });
  socket.on(AgentLinkEvents.handoffUnanswered, (m: { sessionId: string; requestId: string }) =>
    unanswered.push(m),
  );
  socket.on(AgentLinkEvents.takeover, (m: { sessionId: string; active: boolean }) => takeovers.push(m));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  const registered = (await socket.emitWithAck(AgentLinkEvents.register, {
    name: 'scripted',
    capacity: 8,
  })) as {
    ok: boolean;
  };
  if (!registered.ok) throw new Error('the scripted worker could not register');
  const sessionOf = (roomId: string) => {
    const session = sessions.findLast((s) => s.roomId === roomId);
    if (!session) throw new Error(`no session in ${roomId}`);
    return session;
  };
  const say = (roomId: string, event: Record<string, unknown>) =>
    socket.emit(AgentLinkEvents.event, {
      sessionId: sessionOf(roomId).sessionId,
      event: { roomId, ...event },
    });
  return {
    /** The link and the UDP socket the worker took calls on (to send the AI's RTP from). */
    socket,
    udp,
    sessions,
    unanswered,
    takeovers,
    /** The AI's final words or the caller's, as the worker publishes them. */
    transcript(roomId: string, speaker: 'customer' | 'agent', text: string, n: number) {
      say(roomId, {
        type: 'transcript',
        segmentId: `${speaker}-${n}`,
        speaker,
        text,
        final: true,
        startMs: n * 1000,
        endMs: n * 1000 + 800,
      });
    },
    state(roomId: string, state: string) {
      say(roomId, { type: 'agent.state', state });
    },
    handoff(roomId: string, reason: string) {
      say(roomId, { type: 'handoff', reason });
    },
    /** The caller said yes to the AI's callback offer. */
    callback(roomId: string, phone: string | null) {
      say(roomId, { type: 'callback', phone });
    },
    close() {
      socket.disconnect();
      udp.close();
    },
  };
}
