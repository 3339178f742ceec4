/**
 * A human agent's voice in the record, through the whole product: a customer calls the AI from the call page, a
 * supervisor takes the call over from the console and speaks; the agent worker transcribes the supervisor's own
 * stream, and the stored call holds those words as `human` segments (never as the customer's). The agent records
 * its calls: when the call ends the recording is stored encrypted and a supervisor downloads it.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecording } from '../../agent-worker/test/recording/decodeRecording.ts';
import { openOrm } from '../../server/src/db/orm.ts';
import { DEFAULT_SEED_PASSWORD } from '../../server/src/db/seed.ts';
import type { TestApp } from '../helpers/app.ts';
import { type CallBrowser, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { type CallScene, startCallScene, startCustomerCall } from '../helpers/callScene.ts';
import { signInConsole } from '../helpers/consoleUsers.ts';
import { withCleanup } from '../helpers/deadline.ts';

let scene: CallScene;
let workDir: string;
let app: TestApp;
let customer: CallBrowser;
let supervisor: CallBrowser;

beforeAll(async () => {
  scene = await startCallScene({
    name: 'human-voice',
    prepare: async (workDir) => {
      const [customerWav, staffWav] = await Promise.all([
        makeSpeechWav('Hi, I would like to order a pizza for delivery.', workDir, {
          name: 'customer',
          engine: 'flite',
        }),
        makeSpeechWav('I added a garlic bread for you.', workDir, { name: 'supervisor', engine: 'flite' }),
      ]);
      const env = {
        RECORDING_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        RECORDINGS_DIR: path.join(workDir, 'recordings'),
      };
      return { customerWav, staffWav, env };
    },
  });
  ({ workDir, app, customer, staff: supervisor } = scene);
}, 120_000);

afterAll(() => scene?.close());

type Segment = { speaker: string; text: string };

async function login(email: string): Promise<string> {
  const response = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEFAULT_SEED_PASSWORD }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function recordCalls(): Promise<void> {
  const admin = await login('admin@voiceroom.local');
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const config = (await (await fetch(`${app.url}/api/agent-configs/pizzeria`, { headers })).json()) as object;
  const put = await fetch(`${app.url}/api/agent-configs/pizzeria`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ ...config, recording: { enabled: true } }),
  });
  expect(put.status).toBe(200);
}

describe("a human agent's voice", () => {
  it('is transcribed as human segments of the call when a supervisor takes over and speaks, and recorded', async () => {
    await recordCalls();
    await startCustomerCall(customer.page, app.url);

    const console = supervisor.page;
    await signInConsole(console, app.url, 'supervisor');
    await console.waitForSelector('#calls li button:has-text("Listen")', { timeout: 15_000 });
    await console.click('#calls li button:has-text("Listen")');
    await console.waitForSelector('body[data-call-state="in-call"]', { timeout: 20_000 });
    await console.click('#mode-takeover');
    await console.waitForSelector('#mode-takeover[aria-pressed="true"]', { timeout: 10_000 });

    const accessToken = await login('supervisor@voiceroom.local');
    const api = async <T>(url: string): Promise<T> =>
      (await (
        await fetch(`${app.url}${url}`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).json()) as T;
    const { items } = await api<{ items: { id: string }[] }>('/api/calls?status=active');
    const callId = items[0]?.id as string;
    const transcript = await pollUntil(
      async () => (await api<{ transcript: Segment[] }>(`/api/calls/${callId}`)).transcript,
      (segments) => segments.some((s) => s.speaker === 'human' && /garlic/i.test(s.text)),
      { timeoutMs: 45_000, intervalMs: 500, what: "the supervisor's words as a human segment" },
    );
    expect(transcript.filter((s) => s.speaker === 'customer' && /garlic/i.test(s.text))).toEqual([]);

    await console.click('#mode-listen');
    await console.waitForSelector('#mode-takeover[aria-pressed="false"]', { timeout: 10_000 });
    await console.click('#leave-call');
    await customer.page.click('#leave');

    // The call ends when its room closes; then the worker's recording arrives.
    const download = (token: string) =>
      fetch(`${app.url}/api/calls/${callId}/recording`, { headers: { authorization: `Bearer ${token}` } });
    const response = await pollUntil(
      () => download(accessToken),
      (r) => r.status === 200,
      { timeoutMs: 45_000, intervalMs: 500, what: 'the call recording' },
    );
    const pcm = decodeRecording(new Uint8Array(await response.arrayBuffer()));
    // The call as the customer had it, from joining to leaving (the agent leaves with the customer).
    const orm = await openOrm(app.server.config.db);
    await withCleanup(async () => {
      const callMs = await pollUntil(
        async () => {
          const [row] = await orm.em.fork().execute<{ ms: string | null }[]>(
            `select timestampdiff(microsecond, joined_at, left_at) / 1000 as ms
             from participants where call_id = ? and role = 'customer'`,
            [callId],
          );
          return row?.ms == null ? null : Number(row.ms);
        },
        (ms) => ms !== null,
        { timeoutMs: 20_000, what: 'the customer to have left' },
      );
      expect(Math.abs(pcm.length / 48 - Number(callMs))).toBeLessThan(1000);
    }, [{ what: 'closing the database connection', ms: 10_000, run: () => orm.close(true) }]);
    expect((await download(await login('agent@voiceroom.local'))).status).toBe(403);
    const [file] = await readdir(path.join(workDir, 'recordings'));
    const stored = await readFile(path.join(workDir, 'recordings', file as string));
    expect(stored.includes(Buffer.from('OpusHead'))).toBe(false);
  }, 150_000);
});
