/**
 * bench:peer's LiveKit Agents side: starts the peer worker (peerAgent.ts, `start`) against the LiveKit node, waits
 * for it to register, then joins the same rtc-node caller as bench:livekit to a fresh room (LiveKit dispatches the
 * worker's job to it: automatic dispatch, the framework's default) and runs the same conversation. The session's
 * states and the caller's finals arrive as JSON lines on a Unix socket, timed on arrival on the bench's clock.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { AgentState, TranscriptEvent } from '@voiceroom/protocol';
import { z } from 'zod';
import { LiveKitPeer } from '../../test/helpers/LiveKitPeer.ts';
import type { TestLiveKit } from '../../test/helpers/livekit.ts';
import { type ConversationOptions, runConversation } from '../voiceConversation.ts';
import type { ScoredTurn } from '../voiceTurns.ts';

const EventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('state'),
    state: z.enum(['initializing', 'idle', 'listening', 'thinking', 'speaking']),
  }),
  z.object({ type: z.literal('final'), text: z.string() }),
]);
/** The framework names its agent participants agent-<job id>. */
const PEER_IDENTITY_PREFIX = 'agent-';
const REGISTER_TIMEOUT_MS = 60_000;
const GREETING_TIMEOUT_MS = 120_000;
/** The worker drains its job on SIGTERM; past this it is killed with its job processes. */
const DRAIN_TIMEOUT_MS = 30_000;

/** 'default': the framework's own end-of-turn model (turn-detector-v1-mini, local); 'vad': VAD silence alone. */
export type PeerTurnDetection = 'default' | 'vad';

/** The framework's states as ours: 'idle' (nothing to do) is our 'listening'; 'initializing' is not reported. */
const asOurState = (state: z.infer<typeof EventSchema> & { type: 'state' }): AgentState | undefined =>
  state.state === 'initializing' ? undefined : state.state === 'idle' ? 'listening' : state.state;

function startWorker(
  node: TestLiveKit,
  socketPath: string,
  turnDetection: PeerTurnDetection,
  log: ConversationOptions['log'],
): ChildProcess {
  const worker = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'peerAgent.ts'), 'start', '--log-level', 'info'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      // its own process group, so that a worker that does not drain in time goes with its job processes
      detached: true,
      env: {
        ...process.env,
        LIVEKIT_URL: node.url,
        LIVEKIT_API_KEY: node.apiKey,
        LIVEKIT_API_SECRET: node.apiSecret,
        PEER_EVENTS_SOCKET: socketPath,
        PEER_TURN_DETECTION: turnDetection,
        NODE_ENV: 'production',
      },
    },
  );
  worker.on('exit', (code, signal) => log('peer worker exited', { code, signal }));
  return worker;
}

/** The worker logs at info level (its registration is an info line); warnings and errors are passed on. */
function echoWarnings(line: string): void {
  const level = /"level":(\d+)/.exec(line)?.[1];
  if (level === undefined || Number(level) >= 40) process.stderr.write(`${line}\n`);
}

async function waitRegistered(worker: ChildProcess): Promise<void> {
  const lines = createInterface({ input: worker.stdout as NodeJS.ReadableStream });
  const timeout = AbortSignal.timeout(REGISTER_TIMEOUT_MS);
  const exited = once(worker, 'exit', { signal: timeout }).then(() => {
    throw new Error('the peer worker exited before registering');
  });
  const registered = (async () => {
    for await (const line of lines) {
      echoWarnings(line);
      if (line.includes('registered worker')) return;
    }
    throw new Error('the peer worker closed its output before registering');
  })();
  try {
    await Promise.race([registered, exited]);
  } catch (error) {
    if (timeout.aborted) throw new Error(`the peer worker did not register within ${REGISTER_TIMEOUT_MS} ms`);
    throw error;
  }
  // keep echoing the worker's log
  void (async () => {
    for await (const line of lines) echoWarnings(line);
  })().catch(() => undefined);
}

export async function peerConversation(
  options: Omit<ConversationOptions, 'caller' | 'agent'> & {
    node: TestLiveKit;
    workDir: string;
    turnDetection: PeerTurnDetection;
  },
): Promise<ScoredTurn[]> {
  const { node, log } = options;
  const states: Array<{ state: AgentState; t: number }> = [];
  const finals: TranscriptEvent[] = [];
  const socketPath = path.join(options.workDir, 'peer-events.sock');
  const server: Server = createServer((socket) => {
    createInterface({ input: socket }).on('line', (line) => {
      const t = performance.now();
      const parsed = EventSchema.safeParse(JSON.parse(line));
      if (!parsed.success) return log('ignoring an invalid peer event', { line });
      const event = parsed.data;
      if (event.type === 'final') {
        finals.push({
          roomId: 'bench-peer',
          segmentId: `peer-${finals.length}`,
          speaker: 'customer',
          text: event.text,
          final: true,
          startMs: 0,
          endMs: 0,
          interrupted: false,
        });
        return;
      }
      const state = asOurState(event);
      if (state && states.at(-1)?.state !== state) states.push({ state, t });
    });
  });
  server.listen(socketPath);
  await once(server, 'listening');
  const worker = startWorker(node, socketPath, options.turnDetection, log);
  let caller: LiveKitPeer | undefined;
  try {
    await waitRegistered(worker);
    log('peer worker registered');
    const room = `bench-peer-${Date.now()}`;
    caller = await LiveKitPeer.join(
      node.url,
      await node.token({ room, identity: 'customer:bench', metadata: { role: 'customer', name: 'Bench' } }),
    );
    await caller.publish('mic');
    const joined = caller;
    const greetingBy = Date.now() + GREETING_TIMEOUT_MS;
    // greeted: the greeting was spoken and the agent is listening again
    while (!(states.some((s) => s.state === 'speaking') && states.at(-1)?.state === 'listening')) {
      if (Date.now() > greetingBy)
        throw new Error(`no greeting from the peer within ${GREETING_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    log('peer greeted', { participants: joined.remoteIdentities });
    return await runConversation({
      ...options,
      caller: {
        now: async () => performance.now(),
        audibleSince: async (t) => joined.audibleSince(t, PEER_IDENTITY_PREFIX),
        say: (pcm) => joined.play(pcm),
        samples: async () =>
          joined
            .levels(PEER_IDENTITY_PREFIX)
            .map(({ t, rms }) => ({ t, rms, inPackets: 0, inLastPacketT: 0 })),
      },
      agent: { states: () => states, customerFinals: () => finals },
    });
  } finally {
    await caller?.close();
    worker.kill('SIGTERM');
    await Promise.race([
      once(worker, 'exit'),
      new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS)),
    ]);
    if (worker.exitCode === null && worker.signalCode === null && worker.pid)
      process.kill(-worker.pid, 'SIGKILL');
    server.close();
    await rm(socketPath, { force: true });
  }
}
