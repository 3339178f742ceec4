import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/main.ts');

async function start(
  env: Record<string, string>,
  timeout = 20_000,
): Promise<{ code: number | null; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      timeout,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number | null; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('agent worker main', () => {
  it('exits with a message naming the missing service token', async () => {
    const { code, output } = await start({});
    expect(code).toBe(1);
    expect(output).toMatch(/AGENT_SERVICE_TOKEN/);
  });

  it('exits with a message naming an invalid variable', async () => {
    const { code, output } = await start({
      AGENT_SERVICE_TOKEN: 'x',
      AGENT_CAPACITY: 'lots',
      AGENT_PIPELINE: 'echo',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/AGENT_CAPACITY/);
  });

  it('keeps retrying while the server is not reachable yet', async () => {
    const { code, output } = await start(
      { AGENT_SERVICE_TOKEN: 'x', AGENT_PIPELINE: 'echo', SERVER_URL: 'http://127.0.0.1:9' },
      8_000,
    );
    expect(code).not.toBe(1);
    expect(output).not.toMatch(/refused/);
    expect(output).toMatch(/server not reachable; retrying/);
  });
});
