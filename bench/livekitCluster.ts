/**
 * LiveKit cluster join benchmark: `npm run bench:livekit:cluster`. A two-node livekit-server cluster on this machine
 * (shared local Redis, database 13). For each of N runs the control plane creates a room through node A (LiveKit
 * places it on either node), a participant waits in it on its host node, then two more join: one through the host
 * node, one through the other node (signaling relayed through Redis to the host). Per joiner: connect_ms (connect()
 * called with a token in hand -> resolved) and seen_ms (-> the waiting participant is told it arrived), from the
 * caller's side. Real livekit-server v1.13.5, real @livekit/rtc-node clients. Prints {"n", "create_room_ms",
 * "direct": {connect_ms, seen_ms}, "via_other_node": {...}} and writes bench/results/livekit_cluster.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispose, type RemoteParticipant, Room, RoomEvent } from '@livekit/rtc-node';
import { LiveKitBackend } from '../server/src/media/livekit/LiveKitBackend.ts';
import type { LiveKitNode } from '../server/src/media/livekit/LiveKitNode.ts';
import { startLiveKitCluster } from '../test/helpers/livekit.ts';
import { round, spread } from './spread.ts';

const RUNS = Number(process.env.LIVEKIT_CLUSTER_RUNS ?? 20);
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'livekit_cluster.json');

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const loadBefore = loadavg().map(round);
  const lk = await startLiveKitCluster(2, { basePort: 7886, rtcBasePort: 53_800, redisDb: 13 });
  const backend = (node: LiveKitNode) =>
    new LiveKitBackend({ url: node.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
  const [first] = lk.nodes;
  if (!first) throw new Error('no node');
  const control = backend(first);
  const createMs: number[] = [];
  const samples = {
    direct: { connect: [] as number[], seen: [] as number[] },
    relayed: { connect: [] as number[], seen: [] as number[] },
  };
  const hosts = new Map<number, number>();
  try {
    for (let run = 0; run < RUNS; run++) {
      const roomId = `bench-${randomBytes(5).toString('hex')}`;
      const t0 = performance.now();
      await control.createRoom(roomId, { agentId: null });
      createMs.push(performance.now() - t0);
      let host: LiveKitNode | undefined;
      for (let i = 0; i < 50 && !host; i++) {
        host = await lk.nodeOf(roomId);
        if (!host) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const other = lk.nodes.find((n) => n !== host);
      if (!host || !other) throw new Error(`room ${roomId} was not placed`);
      hosts.set(host.port, (hosts.get(host.port) ?? 0) + 1);
      const waiting = await join(backend(host), roomId, 'waiting');
      for (const [kind, via] of [
        ['direct', host],
        ['relayed', other],
      ] as const) {
        const identity = `${kind}-${run}`;
        const ticket = await backend(via).mediaTicket({
          roomId,
          identity: `customer:${identity}`,
          name: identity,
          role: 'customer',
        });
        if (ticket.backend !== 'livekit') throw new Error('expected a LiveKit ticket');
        const seen = new Promise<number>((resolve) => {
          const onJoin = (p: RemoteParticipant) => {
            if (p.identity !== `customer:${identity}`) return;
            waiting.off(RoomEvent.ParticipantConnected, onJoin);
            resolve(performance.now());
          };
          waiting.on(RoomEvent.ParticipantConnected, onJoin);
        });
        const start = performance.now();
        const joiner = new Room();
        await joiner.connect(ticket.url, ticket.token, { autoSubscribe: true, dynacast: false });
        samples[kind].connect.push(performance.now() - start);
        samples[kind].seen.push((await within(seen, 10_000)) - start);
        await joiner.disconnect();
      }
      await waiting.disconnect();
      await control.closeRoom(roomId, 'bench');
      process.stderr.write(`run ${run + 1}/${RUNS} (room on :${host.port})\n`);
    }
  } finally {
    await lk.stop();
    await dispose();
  }
  const result = {
    n: RUNS,
    rooms_per_node: Object.fromEntries(hosts),
    create_room_ms: spread(createMs),
    direct: { connect_ms: spread(samples.direct.connect), seen_ms: spread(samples.direct.seen) },
    via_other_node: { connect_ms: spread(samples.relayed.connect), seen_ms: spread(samples.relayed.seen) },
    machine: {
      load_before: loadBefore,
      load_after: loadavg().map(round),
      note: 'shared loaded 2-core machine: floors',
    },
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

async function join(backend: LiveKitBackend, roomId: string, id: string): Promise<Room> {
  const ticket = await backend.mediaTicket({
    roomId,
    identity: `customer:${id}`,
    name: id,
    role: 'customer',
  });
  if (ticket.backend !== 'livekit') throw new Error('expected a LiveKit ticket');
  const room = new Room();
  await room.connect(ticket.url, ticket.token, { autoSubscribe: true, dynacast: false });
  return room;
}

function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

await main();
