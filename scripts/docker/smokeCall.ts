/**
 * The call of `npm run docker:smoke` (scripts/docker/smoke.sh) against the running compose stack: headless Chromium
 * loads the call page the server serves, speaks an order through a fake microphone, must hear the agent and see
 * both sides as captions, hangs up; then, as an admin (SMOKE_ADMIN: {email, password}), the call must be read back
 * through the API as ended, with its extraction stored. Prints one JSON line per step; exits 1 on the first failure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { launchCallBrowser, makeSpeechWav, pollUntil, readInboundAudio } from '../../test/helpers/browser.ts';

const env = z
  .object({
    SMOKE_URL: z.url().default('http://127.0.0.1:3100'),
    SMOKE_ADMIN: z
      .string()
      .transform((text) => z.object({ email: z.string(), password: z.string() }).parse(JSON.parse(text))),
  })
  .parse(process.env);
const started = performance.now();
const progress = (msg: string, data: Record<string, unknown> = {}) =>
  console.log(
    JSON.stringify({
      ts: new Date().toISOString(),
      step: 'docker-smoke-call',
      elapsed_s: Math.round((performance.now() - started) / 1000),
      msg,
      ...data,
    }),
  );

async function api<T>(method: string, route: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${env.SMOKE_URL}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-docker-smoke-'));
const wav = await makeSpeechWav('Hello. I would like to order a large pepperoni pizza, please.', workDir, {
  engine: 'flite',
});
const caller = await launchCallBrowser({ fakeAudioWav: wav });
try {
  const page = caller.page;
  const callStarted = page.waitForResponse(
    (r) => r.url().endsWith('/api/calls') && r.request().method() === 'POST',
  );
  await page.goto(`${env.SMOKE_URL}/`);
  await page.click('#call');
  const { callId } = (await (await callStarted).json()) as { callId: string };
  await page.waitForSelector('body[data-call-state="connected"]', { timeout: 30_000 });
  progress('connected', { callId });
  await pollUntil(
    () => page.locator('#participants li').allTextContents(),
    (items) => items.some((item) => item.includes('(AI assistant)')),
    { timeoutMs: 30_000, what: 'the AI agent to join the call' },
  );
  const heard = await pollUntil(
    () => readInboundAudio(page),
    (stats) => stats.packetsReceived > 0 && stats.totalAudioEnergy > 0,
    { timeoutMs: 60_000, what: "the agent's voice at the caller" },
  );
  progress('agent answered', { packetsReceived: heard.packetsReceived });
  const captions = await pollUntil(
    () =>
      page.$$eval('#captions li', (items) =>
        items.map((li) => ({
          speaker: (li as HTMLElement).dataset.speaker ?? '',
          final: (li as HTMLElement).dataset.final === 'true',
          text: li.querySelector('.text')?.textContent ?? '',
        })),
      ),
    (lines) =>
      lines.some((l) => l.speaker === 'agent' && l.final && l.text.trim() !== '') &&
      lines.some((l) => l.speaker === 'customer' && l.final && l.text.trim() !== ''),
    { timeoutMs: 60_000, intervalMs: 250, what: 'final captions of the agent and of the caller' },
  );
  progress('conversation', {
    captions: captions.filter((l) => l.final).map((l) => `${l.speaker}: ${l.text}`),
  });
  await page.click('#leave');
  progress('hung up');

  const { accessToken } = await api<{ accessToken: string }>('POST', '/api/auth/login', env.SMOKE_ADMIN);
  type Call = { status: string; extraction: { status: string; result?: unknown } | null };
  const call = await pollUntil(
    () => api<Call>('GET', `/api/calls/${callId}`, undefined, accessToken),
    (c) => c.status === 'ended' && c.extraction?.status === 'succeeded',
    { timeoutMs: 60_000, intervalMs: 1_000, what: 'the call to end with its extraction stored' },
  );
  progress('extraction stored', { callId, status: call.status, extraction: call.extraction });
} catch (error) {
  const peerConnections = await caller.page
    .evaluate(() =>
      (
        (window as unknown as { __voiceRoomPeerConnections?: RTCPeerConnection[] })
          .__voiceRoomPeerConnections ?? []
      ).map((pc) => `${pc.connectionState}/${pc.iceConnectionState}`),
    )
    .catch(() => []);
  progress('failed', {
    error: error instanceof Error ? error.message : String(error),
    peerConnections,
    browser: caller.consoleLines.slice(-15),
  });
  process.exitCode = 1;
} finally {
  await caller.close();
  await rm(workDir, { recursive: true, force: true });
}
