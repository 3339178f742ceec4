import type { MetricsRegistry } from '../http/metrics.ts';
import type { RoomRegistry } from '../media/RoomRegistry.ts';
import type { WorkerPool } from '../media/WorkerPool.ts';
import type { SignalingServer } from './SignalingServer.ts';

export interface RtcMetricsSources {
  pool: WorkerPool;
  registry: RoomRegistry;
  signaling: SignalingServer;
}

const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Prometheus metrics of the SFU and signaling (rooms, peers by role, workers, live mediasoup objects, worker deaths,
 * connections, requests by method and outcome, request latency). Returns a function that stops the listeners.
 */
export function registerRtcMetrics(
  metrics: MetricsRegistry,
  { pool, registry, signaling }: RtcMetricsSources,
) {
  metrics.gauge('voiceroom_rooms', 'Open voice rooms.', [], () => registry.size);
  metrics.gauge('voiceroom_room_peers', 'Participants in open rooms, by role.', ['role'], () => {
    const byRole = new Map<string, number>();
    for (const room of registry.rooms) {
      for (const peer of room.peers) byRole.set(peer.role, (byRole.get(peer.role) ?? 0) + 1);
    }
    return [...byRole].map(([role, value]) => ({ labels: { role }, value }));
  });
  metrics.gauge('voiceroom_mediasoup_workers', 'Live mediasoup workers.', [], () => pool.pids.length);
  metrics.gauge('voiceroom_mediasoup_objects', 'Live mediasoup objects, by kind.', ['kind'], () =>
    Object.entries(pool.mediaCounts).map(([kind, value]) => ({ labels: { kind }, value })),
  );
  metrics.gauge(
    'voiceroom_mediasoup_worker_cpu_seconds',
    'CPU time used by each live mediasoup worker since it started.',
    ['pid'],
    async () => (await pool.resourceUsage()).map((u) => ({ labels: { pid: u.pid }, value: u.cpuSeconds })),
  );
  metrics.gauge(
    'voiceroom_signaling_connections',
    'Sockets connected to /rtc.',
    [],
    () => signaling.connections,
  );
  metrics.gauge(
    'voiceroom_signaling_resumable_peers',
    'Peers of dropped connections kept for the client to resume.',
    [],
    () => signaling.resumablePeers,
  );
  const deaths = metrics.counter('voiceroom_mediasoup_worker_deaths_total', 'mediasoup workers that died.');
  const requests = metrics.counter(
    'voiceroom_signaling_requests_total',
    'Signaling requests answered, by method and outcome (ok or the refusal code).',
    ['method', 'outcome'],
  );
  const latency = metrics.histogram(
    'voiceroom_signaling_request_seconds',
    'Time from a signaling request being run to its answer, by method.',
    ['method'],
    REQUEST_BUCKETS,
  );

  const onDeath = () => deaths.inc();
  const onRequest = (info: { method: string; outcome: string; durationMs: number }) => {
    requests.inc({ method: info.method, outcome: info.outcome });
    if (info.outcome === 'ok') latency.observe({ method: info.method }, info.durationMs / 1000);
  };
  pool.on('workerdied', onDeath);
  signaling.on('request', onRequest);
  return () => {
    pool.off('workerdied', onDeath);
    signaling.off('request', onRequest);
  };
}
