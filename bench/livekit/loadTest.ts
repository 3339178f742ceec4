/**
 * bench:livekit's load step, standing in for `lk load-test` (the lk CLI cannot be installed here: the Go proxy
 * refuses its module): N rtc-node audio publishers and M subscribers in one room for D seconds, the subscribers
 * joining through every node of the cluster in turn. Loss and bitrate come from the nodes' own Prometheus counters
 * diffed over the run and summed over nodes: `loss` is LiveKit's own per-stream loss accounting (the mean of its
 * packet-loss-percent samples: sequence gaps from publishers, receiver reports from subscribers), and
 * `forwarded_per_expected` cross-checks it as packets sent to subscribers / (packets received x subscribers).
 * `send_pace` says how late the publishers ran (this process shares the loaded cores with the nodes).
 */

import { tone } from '../../agent-worker/test/audio/signal.ts';
import type { LiveKitNode } from '../../server/src/media/livekit/LiveKitNode.ts';
import { LiveKitPeer } from '../../test/helpers/LiveKitPeer.ts';
import type { TestLiveKit } from '../../test/helpers/livekit.ts';

export interface LoadTestOptions {
  /** A cluster whose nodes serve Prometheus metrics (startLiveKitCluster with prometheusBasePort). */
  cluster: TestLiveKit;
  publishers: number;
  subscribers: number;
  durationS: number;
  log(msg: string, extra?: Record<string, unknown>): void;
}

type Counters = Map<string, number>;
const round = (n: number) => Math.round(n * 10) / 10;

async function scrape(urls: readonly string[]): Promise<Counters> {
  const sums: Counters = new Map();
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || !/^livekit_(packet|bytes|nack|node_packet)/.test(line)) continue;
      const match = /^(\w+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
      if (!match) continue;
      const labels = (match[2] ?? '').replace(/node_id="[^"]*",?/, '');
      const key = `${match[1]}${labels}`;
      sums.set(key, (sums.get(key) ?? 0) + Number(match[3]));
    }
  }
  return sums;
}

const sumWhere = (counters: Counters, test: (key: string) => boolean) =>
  [...counters].reduce((n, [k, v]) => (test(k) ? n + v : n), 0);

export async function runLoadTest(options: LoadTestOptions) {
  const { cluster, publishers, subscribers, durationS, log } = options;
  const { nodes } = cluster;
  const room = `bench-load-${Date.now()}`;
  const peers: LiveKitPeer[] = [];
  try {
    for (let i = 0; i < subscribers; i++) {
      const node = nodes[i % nodes.length] as LiveKitNode;
      peers.push(
        await LiveKitPeer.join(
          node.url,
          await cluster.token({ room, identity: `sub:${i}`, grant: { canPublish: false } }),
          { keepPcm: false },
        ),
      );
    }
    const senders: LiveKitPeer[] = [];
    for (let i = 0; i < publishers; i++) {
      const node = nodes[i % nodes.length] as LiveKitNode;
      const peer = await LiveKitPeer.join(node.url, await cluster.token({ room, identity: `pub:${i}` }), {
        keepPcm: false,
        autoSubscribe: false,
      });
      await peer.publish('mic');
      senders.push(peer);
      peers.push(peer);
    }
    // every subscriber hears every publisher before the measured window opens
    const settleBy = Date.now() + 20_000;
    const heardFrom = (p: LiveKitPeer) => new Set(p.heard.map((f) => f.from)).size;
    while (peers.slice(0, subscribers).some((p) => heardFrom(p) < publishers) && Date.now() < settleBy)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const metricsUrls = nodes.map((n) => {
      if (!n.metricsUrl)
        throw new Error(`LiveKit node ${n.url} serves no metrics: start it with a prometheus port`);
      return n.metricsUrl;
    });
    const before = await scrape(metricsUrls);
    const framesBefore = peers.slice(0, subscribers).map((p) => p.heard.length);
    const sentBefore = senders.reduce((n, p) => n + p.framesSent, 0);
    const t0 = performance.now();
    const speech = tone(440, 48_000, 48_000 * durationS, 6_000);
    const progress = setInterval(
      () => log('load test', { elapsedS: Math.round((performance.now() - t0) / 1000), of: durationS }),
      5_000,
    );
    await Promise.all(senders.map((p) => p.play(speech)));
    clearInterval(progress);
    const seconds = (performance.now() - t0) / 1000;
    const after = await scrape(metricsUrls);
    const diff: Counters = new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]));
    const packets = (direction: string) =>
      sumWhere(diff, (k) => k.startsWith('livekit_packet_total') && k.includes(`direction="${direction}"`));
    /** Mean loss fraction over LiveKit's per-stream samples in this direction. */
    const lossMean = (direction: string) => {
      const where = (suffix: string) => (k: string) =>
        k.startsWith(`livekit_packet_loss_percent_${suffix}`) && k.includes(`direction="${direction}"`);
      const count = sumWhere(diff, where('count'));
      return count > 0 ? sumWhere(diff, where('sum')) / 100 / count : null;
    };
    const bytesOut = sumWhere(
      diff,
      (k) => k.startsWith('livekit_packet_bytes') && k.includes('direction="outgoing"'),
    );
    const inPackets = packets('incoming');
    const outPackets = packets('outgoing');
    const framesSent = senders.reduce((n, p) => n + p.framesSent, 0) - sentBefore;
    const framesHeard = peers
      .slice(0, subscribers)
      .reduce((n, p, i) => n + p.heard.length - (framesBefore[i] ?? 0), 0);
    return {
      tool: 'rtc-node',
      nodes: nodes.length,
      audio_publishers: publishers,
      subscribers,
      duration_s: round(seconds),
      /** The worse leg's mean loss (the single figure); both legs beside it. */
      loss: Math.max(lossMean('incoming') ?? 0, lossMean('outgoing') ?? 0),
      loss_by_leg: { ingress: lossMean('incoming'), egress: lossMean('outgoing') },
      forwarded_per_expected: inPackets > 0 ? outPackets / (inPackets * subscribers) : null,
      /** Audio leaving the nodes per forwarded stream (one publisher to one subscriber), as LiveKit counts bytes. */
      bitrate_kbps: round((bytesOut * 8) / 1000 / seconds / (publishers * subscribers)),
      bitrate_total_out_kbps: round((bytesOut * 8) / 1000 / seconds),
      packets: { incoming: inPackets, outgoing: outPackets, expected_outgoing: inPackets * subscribers },
      /** Wall time the publishers took per second of audio (1 = real time; more = this process was starved). */
      send_pace: round((seconds / durationS) * 100) / 100,
      /** Mean bytes per forwarded packet, and that at the nominal 50 packets/s: the bitrate had sending kept pace. */
      bytes_per_packet: outPackets > 0 ? round(bytesOut / outPackets) : null,
      nominal_bitrate_kbps: outPackets > 0 ? round(((bytesOut / outPackets) * 8 * 50) / 1000) : null,
      frames: { sent_20ms: framesSent, heard_10ms: framesHeard },
      counters: Object.fromEntries([...diff].filter(([k, v]) => v !== 0 && !k.includes('_bucket'))),
    };
  } finally {
    for (const peer of peers) await peer.close();
  }
}
