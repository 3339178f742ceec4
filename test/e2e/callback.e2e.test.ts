/**
 * A callback with the caller's consent, through the whole product: a customer (Chromium, fake microphone playing
 * flite sentences) asks the AI for a person; the human agent's console is open but nobody accepts within the agent's
 * handoff timeout (1 s here); the AI says nobody is free and offers a callback; the customer says yes and gives a
 * number; the console's callbacks list shows the caller with that number, the call record has it, and the audit log
 * has the request (ids only). Saves the console as bench/results/screens/console-callbacks.png.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED_PASSWORD } from '../../server/src/db/seed.ts';
import type { TestApp } from '../helpers/app.ts';
import { type CallBrowser, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { type CallScene, startCallScene, startCustomerCall } from '../helpers/callScene.ts';
import { signInConsole } from '../helpers/consoleUsers.ts';

const SCREENS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bench',
  'results',
  'screens',
);

let scene: CallScene;
let app: TestApp;
let customer: CallBrowser;
let human: CallBrowser;

beforeAll(async () => {
  scene = await startCallScene({
    name: 'callback',
    prepare: async (workDir) => {
      const [ask, yes, number, staffWav] = await Promise.all([
        makeSpeechWav('I want to talk to a person.', workDir, { name: 'ask', engine: 'flite' }),
        makeSpeechWav('Yes please.', workDir, { name: 'yes', engine: 'flite' }),
        makeSpeechWav('five five five, one two three, four five six seven.', workDir, {
          name: 'number',
          engine: 'flite',
        }),
        makeSpeechWav('Hello.', workDir, { name: 'human' }),
      ]);
      // After the greeting the customer asks; quiet while the AI answers, the request expires and the AI offers
      // the callback; says yes; quiet while the AI asks for the number; gives it. The long tail keeps the looping
      // fake microphone from starting over during the test.
      const sox = (...args: string[]) => promisify(execFile)('sox', args);
      const padded = async (wav: string, before: number, after: number) => {
        const out = wav.replace(/\.wav$/, '-padded.wav');
        await sox(wav, out, 'pad', String(before), String(after));
        return out;
      };
      const parts = await Promise.all([padded(ask, 6, 0), padded(yes, 16, 0), padded(number, 7, 90)]);
      const customerWav = path.join(workDir, 'customer.wav');
      await sox(...parts, customerWav);
      return { customerWav, staffWav };
    },
  });
  ({ app, customer, staff: human } = scene);
}, 120_000);

afterAll(() => scene?.close());

async function login(email: string): Promise<string> {
  const response = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEFAULT_SEED_PASSWORD }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function api<T>(token: string, url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${app.url}${url}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  expect(response.status, url).toBeLessThan(300);
  return (await response.json()) as T;
}

describe('a callback when nobody takes the handoff', () => {
  it('offers a callback, records the yes with the number the caller gives and shows it in the console and the call record', async () => {
    const admin = await login('admin@voiceroom.local');
    const config = await api<{ handoff: object }>(admin, '/api/agent-configs/pizzeria');
    await api(admin, '/api/agent-configs/pizzeria', {
      method: 'PUT',
      body: JSON.stringify({ ...config, handoff: { ...config.handoff, timeoutS: 1 } }),
    });

    const desk = human.page;
    await signInConsole(desk, app.url, 'agent');
    await desk.waitForSelector('body[data-availability="available"]', { timeout: 15_000 });
    await desk.waitForSelector('#no-callbacks:not([hidden])', { timeout: 10_000 });
    await startCustomerCall(customer.page, app.url);

    // The request reaches the console and expires there unanswered.
    await desk.waitForSelector('#handoffs li[data-handoff-id]', { timeout: 60_000 });
    await desk.waitForSelector('#handoffs li[data-handoff-id]', { state: 'detached', timeout: 15_000 });

    const item = await desk.waitForSelector('#callbacks li[data-callback-id]', { timeout: 90_000 });
    const text = (await item.textContent()) ?? '';
    const agent = await login('agent@voiceroom.local');
    const { items: live } = await api<{ items: { id: string }[] }>(agent, '/api/calls?status=active');
    const heard = await api<{ transcript: { speaker: string; text: string }[] }>(
      agent,
      `/api/calls/${live[0]?.id}`,
    );
    process.stdout.write(
      `the call so far:\n${heard.transcript.map((s) => `  ${s.speaker}: ${s.text}`).join('\n')}\n`,
    );
    expect(text).toContain('555-123-4567');
    expect(await desk.isHidden('#no-callbacks')).toBe(true);
    await mkdir(SCREENS_DIR, { recursive: true });
    await desk.screenshot({ path: path.join(SCREENS_DIR, 'console-callbacks.png'), fullPage: true });

    // The caller heard the offer and the confirmation (the call page's captions).
    const captions = (await customer.page.textContent('#captions')) ?? '';
    expect(captions).toMatch(/call you back\?/);
    expect(captions).toMatch(/call you back on 555-123-4567/);

    const callbackId = (await item.getAttribute('data-callback-id')) as string;
    const { items } = await api<{ items: { callbackId: string; callId: string; phone: string | null }[] }>(
      agent,
      '/api/callbacks?status=open',
    );
    const stored = items.find((c) => c.callbackId === callbackId);
    expect(stored).toMatchObject({ phone: '555-123-4567', consent: true });
    const record = await api<{ callbacks: { callbackId: string }[]; handoffs: { status: string }[] }>(
      agent,
      `/api/calls/${stored?.callId}`,
    );
    expect(record.callbacks.map((c) => c.callbackId)).toEqual([callbackId]);
    expect(record.handoffs.map((h) => h.status)).toEqual(['expired']);
    const audit = await api<{ items: { action: string }[] }>(
      admin,
      `/api/audit?callId=${stored?.callId}&action=callback.request`,
    );
    expect(audit.items).toHaveLength(1);

    // Called back: the row leaves the list.
    await desk.click(`#callbacks li[data-callback-id="${callbackId}"] button`);
    await desk.waitForSelector(`#callbacks li[data-callback-id="${callbackId}"]`, {
      state: 'detached',
      timeout: 10_000,
    });
    await pollUntil(
      () => api<{ items: unknown[] }>(agent, '/api/callbacks?status=open'),
      (page) => page.items.length === 0,
      { timeoutMs: 5_000, what: 'no open callbacks' },
    );
  }, 180_000);
});
