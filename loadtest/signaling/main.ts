/**
 * `npm run loadtest:signaling -- [--clients N] [--staff S] [--duration S] [--hostile H]`: control-plane and /rtc
 * signaling load (what k6 would run here; k6 itself is not used, see loadtest/README.md). Starts a server on a fresh
 * database (or uses BASE_URL), seeds a human agent account, runs the load, writes bench/results/signaling-load.json
 * and exits 1 when a threshold breaks.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS_DIR } from '../media/resultsDir.ts';
import { startStack } from '../media/stack.ts';
import { runSignalingLoad } from './runSignalingLoad.ts';
import { seedStaffAccount } from './staffAccount.ts';
import { brokenThresholds, DEFAULT_THRESHOLDS } from './thresholds.ts';

const USAGE =
  'usage: npm run loadtest:signaling -- [--clients N] [--staff S] [--duration S] [--hostile H] [--ack-p95 MS] [--http-p95 MS]';

function count(name: string, raw: string | undefined, fallback: number, max: number): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`--${name} must be an integer from 0 to ${max}; ${USAGE}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    clients: { type: 'string' },
    staff: { type: 'string' },
    duration: { type: 'string' },
    hostile: { type: 'string' },
    'ack-p95': { type: 'string' },
    'http-p95': { type: 'string' },
  },
});
const clients = count('clients', values.clients, 20, 2000);
const staff = count('staff', values.staff, 2, 200);
const durationS = count('duration', values.duration, 30, 3600);
const hostilePerSession = count('hostile', values.hostile, 2, 50);
const thresholds = {
  ...DEFAULT_THRESHOLDS,
  ack_p95_ms: count('ack-p95', values['ack-p95'], DEFAULT_THRESHOLDS.ack_p95_ms, 60_000),
  http_p95_ms: count('http-p95', values['http-p95'], DEFAULT_THRESHOLDS.http_p95_ms, 60_000),
};

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  console.error(
    JSON.stringify({ ts: new Date().toISOString(), component: 'loadtest.signaling', msg, ...extra }),
  );

log('starting the server', { clients, staff, duration_s: durationS });
const stack = await startStack({ agentCapacity: 0, noAgent: true, existingBaseUrl: process.env.BASE_URL });
try {
  const staffCredentials = stack.dbName
    ? await seedStaffAccount(stack.dbName)
    : process.env.STAFF_EMAIL && process.env.STAFF_PASSWORD
      ? { email: process.env.STAFF_EMAIL, password: process.env.STAFF_PASSWORD }
      : undefined;
  const result = await runSignalingLoad({
    baseUrl: stack.baseUrl,
    clients,
    staff,
    durationS,
    hostilePerSession,
    ...(staffCredentials ? { staffCredentials } : {}),
    onProgress: (line) => log('progress', line),
  });
  const broken = brokenThresholds(result, thresholds);
  const report = { ...result, thresholds, broken };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, 'signaling-load.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report));
  if (broken.length > 0) {
    log('thresholds broken', { broken });
    process.exitCode = 1;
  }
} finally {
  await stack.close();
}
