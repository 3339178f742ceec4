import { describe, expect, it } from 'vitest';
import { MetricsRegistry, registerProcessMetrics } from '../../src/http/metrics.ts';

describe('MetricsRegistry', () => {
  it('renders counters with labels, escaping quotes, backslashes and newlines', async () => {
    const registry = new MetricsRegistry();
    const calls = registry.counter('vr_calls_total', 'Calls started.', ['agent']);
    calls.inc({ agent: 'pizzeria' });
    calls.inc({ agent: 'pizzeria' }, 2);
    calls.inc({ agent: 'a"b\\c\nd' });
    const text = await registry.render();
    expect(text).toContain('# HELP vr_calls_total Calls started.\n# TYPE vr_calls_total counter\n');
    expect(text).toContain('vr_calls_total{agent="pizzeria"} 3\n');
    expect(text).toContain('vr_calls_total{agent="a\\"b\\\\c\\nd"} 1\n');
  });

  it('refuses negative counter increments, unknown labels, bad names and duplicates', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('x_total', 'x', ['a']);
    expect(() => counter.inc({}, -1)).toThrow(/>= 0/);
    expect(() => counter.inc({ b: '1' })).toThrow(/unknown label 'b'/);
    expect(() => registry.counter('bad-name', 'x')).toThrow(/valid Prometheus name/);
    expect(() => registry.gauge('x_total', 'again')).toThrow(/already registered/);
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count', async () => {
    const registry = new MetricsRegistry();
    const latency = registry.histogram('vr_latency_seconds', 'Latency.', ['stage'], [0.1, 0.5, 1]);
    for (const v of [0.05, 0.2, 0.3, 0.7, 3]) latency.observe({ stage: 'tts' }, v);
    const text = await registry.render();
    expect(text).toContain('vr_latency_seconds_bucket{stage="tts",le="0.1"} 1\n');
    expect(text).toContain('vr_latency_seconds_bucket{stage="tts",le="0.5"} 3\n');
    expect(text).toContain('vr_latency_seconds_bucket{stage="tts",le="1"} 4\n');
    expect(text).toContain('vr_latency_seconds_bucket{stage="tts",le="+Inf"} 5\n');
    expect(text).toContain('vr_latency_seconds_sum{stage="tts"} 4.25\n');
    expect(text).toContain('vr_latency_seconds_count{stage="tts"} 5\n');
  });

  it('collects gauges at render time, as one value or labelled samples', async () => {
    const registry = new MetricsRegistry();
    let rooms = 2;
    registry.gauge('vr_rooms', 'Open rooms.', [], () => rooms);
    registry.gauge('vr_worker_up', 'Worker alive.', ['worker'], () => [
      { labels: { worker: '0' }, value: 1 },
      { labels: { worker: '1' }, value: 0 },
    ]);
    expect(await registry.render()).toContain('vr_rooms 2\n');
    rooms = 5;
    const text = await registry.render();
    expect(text).toContain('vr_rooms 5\n');
    expect(text).toContain('vr_worker_up{worker="1"} 0\n');
  });

  it('registers process metrics with plausible values', async () => {
    const registry = new MetricsRegistry();
    const stop = registerProcessMetrics(registry);
    const text = await registry.render();
    stop();
    const rss = Number(/process_resident_memory_bytes (\d+)/.exec(text)?.[1]);
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(text).toContain('# TYPE nodejs_eventloop_delay_p99_seconds gauge');
  });
});
