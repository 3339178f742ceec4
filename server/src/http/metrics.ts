import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with labels.
 * Any component may register its metrics; GET /metrics renders them all.
 */

export type Labels = Record<string, string | number>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((name, i) => `${name}="${escapeLabel(values[i] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

abstract class Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: 'counter' | 'gauge' | 'histogram';

  constructor(name: string, help: string, labelNames: readonly string[]) {
    if (!NAME.test(name)) throw new Error(`metric name '${name}' is not a valid Prometheus name`);
    for (const label of labelNames) {
      if (!LABEL.test(label) || label === 'le')
        throw new Error(`metric ${name}: invalid label name '${label}'`);
    }
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  protected key(labels: Labels = {}): string {
    for (const label of Object.keys(labels)) {
      if (!this.labelNames.includes(label)) throw new Error(`metric ${this.name}: unknown label '${label}'`);
    }
    return JSON.stringify(this.labelNames.map((name) => String(labels[name] ?? '')));
  }

  header(): string {
    return `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}\n`;
  }

  abstract render(): Promise<string>;
}

export class Counter extends Metric {
  readonly type = 'counter';
  readonly #values = new Map<string, number>();

  inc(labels?: Labels, value = 1): void {
    if (value < 0 || !Number.isFinite(value)) throw new Error(`counter ${this.name}: increment must be >= 0`);
    const key = this.key(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + value);
  }

  get(labels?: Labels): number {
    return this.#values.get(this.key(labels)) ?? 0;
  }

  async render(): Promise<string> {
    let out = this.header();
    for (const [key, value] of this.#values) {
      out += `${this.name}${formatLabels(this.labelNames, JSON.parse(key))} ${formatValue(value)}\n`;
    }
    return out;
  }
}

export type GaugeCollector = () =>
  | number
  | { labels: Labels; value: number }[]
  | Promise<number | { labels: Labels; value: number }[]>;

export class Gauge extends Metric {
  readonly type = 'gauge';
  readonly #values = new Map<string, number>();
  readonly #collect: GaugeCollector | undefined;

  constructor(name: string, help: string, labelNames: readonly string[], collect?: GaugeCollector) {
    super(name, help, labelNames);
    this.#collect = collect;
  }

  set(labels: Labels | undefined, value: number): void {
    this.#values.set(this.key(labels), value);
  }

  inc(labels?: Labels, value = 1): void {
    const key = this.key(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + value);
  }

  dec(labels?: Labels, value = 1): void {
    this.inc(labels, -value);
  }

  get(labels?: Labels): number {
    return this.#values.get(this.key(labels)) ?? 0;
  }

  async render(): Promise<string> {
    // A collector whose source is down (the database during an outage) leaves its last values: /metrics still
    // answers, with the other metrics, exactly when they matter.
    const collected = await Promise.resolve()
      .then(() => this.#collect?.())
      .catch(() => undefined);
    if (typeof collected === 'number') this.set(undefined, collected);
    else if (collected) {
      this.#values.clear();
      for (const sample of collected) this.set(sample.labels, sample.value);
    }
    let out = this.header();
    for (const [key, value] of this.#values) {
      out += `${this.name}${formatLabels(this.labelNames, JSON.parse(key))} ${formatValue(value)}\n`;
    }
    return out;
  }
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[] = DEFAULT_BUCKETS,
  ) {
    super(name, help, labelNames);
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new Error(`histogram ${name}: buckets must be distinct finite numbers`);
    }
    this.buckets = sorted;
  }

  observe(labels: Labels | undefined, value: number): void {
    const key = this.key(labels);
    let series = this.#series.get(key);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** Starts a timer; calling the result observes the elapsed seconds. */
  startTimer(labels?: Labels): (moreLabels?: Labels) => number {
    const start = process.hrtime.bigint();
    return (moreLabels) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.observe({ ...labels, ...moreLabels }, seconds);
      return seconds;
    };
  }

  async render(): Promise<string> {
    let out = this.header();
    for (const [key, series] of this.#series) {
      const values: string[] = JSON.parse(key);
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] ?? 0;
        out += `${this.name}_bucket${formatLabels(this.labelNames, values, `le="${bound}"`)} ${cumulative}\n`;
      });
      out += `${this.name}_bucket${formatLabels(this.labelNames, values, 'le="+Inf"')} ${series.count}\n`;
      out += `${this.name}_sum${formatLabels(this.labelNames, values)} ${formatValue(series.sum)}\n`;
      out += `${this.name}_count${formatLabels(this.labelNames, values)} ${series.count}\n`;
    }
    return out;
  }
}

export class MetricsRegistry {
  static readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  readonly #metrics = new Map<string, Metric>();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = [], collect?: GaugeCollector): Gauge {
    return this.#add(new Gauge(name, help, labelNames, collect));
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets?: readonly number[],
  ): Histogram {
    return this.#add(new Histogram(name, help, labelNames, buckets));
  }

  /** Every metric in the Prometheus text format. */
  async render(): Promise<string> {
    const parts = await Promise.all([...this.#metrics.values()].map((metric) => metric.render()));
    return parts.join('');
  }

  #add<M extends Metric>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`metric ${metric.name} is already registered`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }
}

/** Process metrics: resident memory, heap, CPU seconds and event-loop delay. Returns a stop function. */
export function registerProcessMetrics(registry: MetricsRegistry): () => void {
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], () =>
    process.memoryUsage.rss(),
  );
  registry.gauge(
    'nodejs_heap_used_bytes',
    'V8 heap used in bytes.',
    [],
    () => process.memoryUsage().heapUsed,
  );
  registry.gauge('process_cpu_seconds_total', 'User and system CPU time spent in seconds.', [], () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  });
  registry.gauge(
    'nodejs_eventloop_delay_p99_seconds',
    'Event loop delay, 99th percentile since start.',
    [],
    () => (loopDelay.count > 0 ? loopDelay.percentile(99) / 1e9 : 0),
  );
  return () => loopDelay.disable();
}
