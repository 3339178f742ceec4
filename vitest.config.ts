import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{packages/protocol,packages/agent-core,server,agent-worker,sdk-js,client,loadtest}/test/**/*.test.ts',
      'test/**/*.test.ts',
      // bench:peer's adapters: LiveKit Agents is installed in that bench-only workspace alone
      'bench/peer/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Media and browser tests share 2 cores; files run in parallel, tests in a file in order.
    maxWorkers: 2,
    pool: 'forks',
  },
});
