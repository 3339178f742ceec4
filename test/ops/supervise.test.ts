/**
 * scripts/supervise.sh, which `npm start` runs the agent worker under: a process that exits is started again with a
 * doubling backoff, each start/exit one JSON line; SIGTERM stops the running process (which may drain) and nothing
 * is restarted. Real bash and node processes, short backoffs.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/src/config.ts';
import { type RunningProcess, startProcess } from '../../server/test/helpers/childProcess.ts';

const SUPERVISE = path.join(REPO_ROOT, 'scripts', 'supervise.sh');
const running: RunningProcess[] = [];

function supervise(script: string, env: Record<string, string> = {}): RunningProcess {
  const supervisor = startProcess('bash', [SUPERVISE, 'demo', process.execPath, '-e', script], {
    SUPERVISE_BACKOFF_MIN_MS: '100',
    SUPERVISE_BACKOFF_MAX_MS: '400',
    ...env,
  });
  running.push(supervisor);
  return supervisor;
}

const lines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

afterEach(() => {
  for (const p of running.splice(0)) p.signal('SIGKILL');
});

describe('scripts/supervise.sh', () => {
  it('restarts a process that keeps crashing, the wait doubling up to the maximum, and logs each exit', async () => {
    const supervisor = supervise('process.exit(3)');
    await supervisor.waitForOutput(/"restarts":5,/, 20_000);
    supervisor.signal('SIGTERM');
    expect(await supervisor.exited).toBe(0);
    const exits = lines(supervisor.output()).filter((l) => l.event === 'exited');
    expect(exits.slice(0, 5).map((l) => l.restart_in_ms)).toEqual([100, 200, 400, 400, 400]);
    expect(exits[0]).toMatchObject({ component: 'supervisor', process: 'demo', code: 3, restarts: 1 });
  }, 30_000);

  it('goes back to the shortest wait after a run that lasted (SUPERVISE_STABLE_MS)', async () => {
    const supervisor = supervise('setTimeout(() => process.exit(1), 50)', { SUPERVISE_STABLE_MS: '10' });
    await supervisor.waitForOutput(/"restarts":3,/, 20_000);
    const exits = lines(supervisor.output()).filter((l) => l.event === 'exited');
    expect(exits.slice(0, 3).map((l) => l.restart_in_ms)).toEqual([100, 100, 100]);
  }, 30_000);

  it('names the signal that killed the process', async () => {
    const supervisor = supervise("process.kill(process.pid, 'SIGKILL')");
    await supervisor.waitForOutput(/"event":"exited"/, 10_000);
    const [exit] = lines(supervisor.output()).filter((l) => l.event === 'exited');
    expect(exit).toMatchObject({ code: 137, signal: 'KILL' });
  }, 15_000);

  it('on SIGTERM stops the running process (it may drain first) and does not start it again', async () => {
    const supervisor = supervise(
      "process.on('SIGTERM', () => setTimeout(() => { console.log('drained'); process.exit(0); }, 300)); console.log('ready'); setInterval(() => {}, 1000);",
    );
    await supervisor.waitForOutput(/ready/, 10_000);
    supervisor.signal('SIGTERM');
    expect(await supervisor.exited).toBe(0);
    const output = supervisor.output();
    expect(output).toContain('drained');
    expect(lines(output).map((l) => l.event)).toEqual(['started', 'stopped']);
    expect(output.indexOf('drained')).toBeLessThan(output.indexOf('"stopped"'));
  }, 15_000);
});
