import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../src/http/metrics.ts';
import { registerRtcMetrics } from '../../src/signaling/rtcMetrics.ts';
import { type MediaServer, startMediaServer } from '../helpers/mediaServer.ts';
import { waitFor } from '../media/rtpTools.ts';
import { connectRtc, joinAndProduce, joinRoom, type RtcTestClient } from './rtcClient.ts';

let server: MediaServer;
let metrics: MetricsRegistry;
let stop: () => void;
const clients: RtcTestClient[] = [];

beforeAll(async () => {
  server = await startMediaServer();
  metrics = new MetricsRegistry();
  stop = registerRtcMetrics(metrics, server);
});
afterAll(async () => {
  stop();
  for (const c of clients) c.close();
  await server.close();
});

/** The value of one sample line of the Prometheus text, e.g. sample(text, 'voiceroom_rooms'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('registerRtcMetrics', () => {
  it('exports rooms, peers, mediasoup objects, connections and signaling requests as Prometheus metrics', async () => {
    const customer = await connectRtc(server.url, await server.roomToken({ room: 'metered' }));
    const agent = await connectRtc(
      server.url,
      await server.roomToken({ room: 'metered', role: 'human_agent' }),
    );
    clients.push(customer, agent);
    await joinAndProduce(customer, 5);
    await joinRoom(agent);
    await agent.request('createWebRtcTransport', { direction: 'recv' });
    await agent.ack('resumeConsumer', { consumerId: 'nope' });
    await waitFor(() => server.pool.mediaCounts.consumers === 1, 'the consumer');

    const text = await metrics.render();
    expect(sample(text, 'voiceroom_rooms')).toBe(1);
    expect(sample(text, 'voiceroom_room_peers{role="customer"}')).toBe(1);
    expect(sample(text, 'voiceroom_room_peers{role="human_agent"}')).toBe(1);
    expect(sample(text, 'voiceroom_mediasoup_workers')).toBe(1);
    expect(sample(text, 'voiceroom_mediasoup_objects{kind="transports"}')).toBe(2);
    expect(sample(text, 'voiceroom_mediasoup_objects{kind="consumers"}')).toBe(1);
    expect(sample(text, 'voiceroom_signaling_connections')).toBe(2);
    const [pid] = server.pool.pids;
    expect(sample(text, `voiceroom_mediasoup_worker_cpu_seconds{pid="${pid}"}`)).toBeGreaterThan(0);
    expect(sample(text, 'voiceroom_signaling_requests_total{method="join",outcome="ok"}')).toBe(2);
    expect(
      sample(text, 'voiceroom_signaling_requests_total{method="resumeConsumer",outcome="not_found"}'),
    ).toBe(1);
    expect(sample(text, 'voiceroom_signaling_request_seconds_count{method="produce"}')).toBe(1);
  });

  it('counts worker deaths', async () => {
    const [pid] = server.pool.pids;
    process.kill(pid ?? -1, 'SIGKILL');
    await waitFor(() => server.pool.pids.length === 1 && server.pool.pids[0] !== pid, 'a replacement worker');
    expect(sample(await metrics.render(), 'voiceroom_mediasoup_worker_deaths_total')).toBe(1);
  });
});
