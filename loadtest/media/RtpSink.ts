/**
 * The SFU load test's listener bots: the rtpsink Go program (loadtest/media/rtpsink), one UDP socket per consumer
 * with a raised SO_RCVBUF (one socket for all of them would drop packets in its own receive buffer and look like
 * SFU loss), a goroutine per socket, in a process of its own so its CPU is measured apart from the SFU's. It counts
 * the RTP packets and bytes each socket receives and the sequence range they span; SRTP leaves the RTP header in the
 * clear, so sequence numbers are read without decrypting.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../server/src/config.ts';

const run = promisify(execFile);

export interface ListenerCounters {
  received: number;
  bytes: number;
  /** Extended sequence numbers: expected = highest - first + 1. */
  firstSeq: number | undefined;
  highestSeq: number | undefined;
}

export type SequenceCounters = Pick<ListenerCounters, 'received' | 'firstSeq' | 'highestSeq'>;

interface SinkStats {
  received: number[];
  bytes: number[];
  first: number[];
  highest: number[];
}

/** Builds rtpsink unless cached (scripts/loadtest/build-rtpsink.sh) and returns its path. */
async function sinkBinary(): Promise<string> {
  try {
    const { stdout } = await run('bash', [path.join(REPO_ROOT, 'scripts', 'loadtest', 'build-rtpsink.sh')]);
    return stdout.trim().split('\n').at(-1) as string;
  } catch (error) {
    throw new Error(
      `could not build the rtpsink listener bots: ${(error as { stderr?: string }).stderr ?? error}`,
    );
  }
}

export class RtpSink {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #waiting: ((line: string) => void)[] = [];
  #count = 0;

  static async start(ip: string): Promise<RtpSink> {
    const child = spawn(await sinkBinary(), ['-ip', ip], { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new RtpSink(child);
  }

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    this.#lines = createInterface({ input: child.stdout });
    this.#lines.on('line', (line) => this.#waiting.shift()?.(line));
    child.once('exit', (code) => {
      for (const answer of this.#waiting.splice(0))
        answer(JSON.stringify({ error: `rtpsink exited (${code})` }));
    });
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  /** Sockets opened so far. */
  get count(): number {
    return this.#count;
  }

  async #ask(command: string): Promise<unknown> {
    const line = await new Promise<string>((resolve) => {
      this.#waiting.push(resolve);
      this.#child.stdin.write(`${command}\n`);
    });
    const answer = JSON.parse(line) as { error?: string };
    if (answer.error) throw new Error(`rtpsink "${command}": ${answer.error}`);
    return answer;
  }

  /** Opens `count` more listener sockets; returns their ports. */
  async open(count: number): Promise<number[]> {
    const { ports } = (await this.#ask(`open ${count}`)) as { ports: number[] };
    this.#count += ports.length;
    return ports;
  }

  /** Every listener's counters, in the order they were opened. */
  async counters(): Promise<ListenerCounters[]> {
    const s = (await this.#ask('stats')) as SinkStats;
    const seq = (n: number | undefined) => (n === undefined || n < 0 ? undefined : n);
    return s.received.map((received, i) => ({
      received,
      bytes: s.bytes[i] as number,
      firstSeq: seq(s.first[i]),
      highestSeq: seq(s.highest[i]),
    }));
  }

  close(): void {
    this.#lines.close();
    this.#child.stdin.end('quit\n');
    this.#child.kill();
  }
}

/** Received and lost packets of one listener between two counter snapshots (lost never negative). */
export function windowCounts(
  before: SequenceCounters,
  after: SequenceCounters,
): { received: number; lost: number } {
  const received = after.received - before.received;
  if (after.highestSeq === undefined) return { received: 0, lost: 0 };
  // expected in the window: from the packet after the last one seen before it to the highest seen in it
  const from = before.highestSeq === undefined ? (after.firstSeq as number) : before.highestSeq + 1;
  const expected = after.highestSeq - from + 1;
  return { received, lost: Math.max(0, expected - received) };
}
