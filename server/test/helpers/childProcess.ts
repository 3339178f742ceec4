import { spawn } from 'node:child_process';

export interface RunningProcess {
  readonly pid: number;
  /** Its stdout and stderr so far (the last 50 kB). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  signal(name: NodeJS.Signals): void;
}

/** A `node` child process with `env` (and PATH), recording its output; for tests of signals and exit codes. */
export function startNodeProcess(args: string[], env: Record<string, string>): RunningProcess {
  return startProcess(process.execPath, args, env);
}

/** Any child process with `env` (and PATH), recording its output. */
export function startProcess(command: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000);
    for (const listener of [...listeners]) listener();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of [...listeners]) listener();
  });
  return {
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    signal: (name) => child.kill(name),
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const finish = (error?: Error, match?: RegExpMatchArray) => {
          listeners.delete(check);
          clearTimeout(timer);
          if (match) resolve(match);
          else reject(error);
        };
        const check = () => {
          const match = output.match(pattern);
          if (match) finish(undefined, match);
          else if (done) finish(new Error(`exited before printing ${pattern}: ${output.slice(-2_000)}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`no ${pattern} within ${timeoutMs} ms: ${output.slice(-2_000)}`)),
          timeoutMs,
        );
        listeners.add(check);
        check();
      });
    },
  };
}
