/**
 * Handback through the whole product: a customer (Chromium) orders from the AI; a supervisor (console, Chromium)
 * takes the call over and tells the customer they added an item; hands back; the customer asks what it comes to and
 * the AI's read-back of the total includes the human's item (the human's transcribed voice is in the AI's history
 * and order), and so does the extraction after the call. Each side speaks when the test says (speakInto), not on a looping fake microphone.
 * Saves the customer's call page as bench/results/screens/call-handback.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { priceToWords } from '@voiceroom/agent-core/nlu';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED_PASSWORD } from '../../server/src/db/seed.ts';
import type { TestApp } from '../helpers/app.ts';
import { type CallBrowser, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { type CallScene, startCallScene, startCustomerCall } from '../helpers/callScene.ts';
import { signInConsole } from '../helpers/consoleUsers.ts';
import { makeSilenceWav, speakInto } from '../helpers/pageSpeech.ts';

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
let supervisor: CallBrowser;
let wavs: Record<'order' | 'human' | 'done', string>;

beforeAll(async () => {
  scene = await startCallScene({
    name: 'handback',
    prepare: async (workDir) => {
      const [order, human, done, silence] = await Promise.all([
        makeSpeechWav('I would like a large pepperoni pizza.', workDir, { name: 'order', engine: 'flite' }),
        makeSpeechWav('I added a garlic bread for you.', workDir, { name: 'human', engine: 'flite' }),
        makeSpeechWav('How much is that?', workDir, { name: 'done', engine: 'flite' }),
        makeSilenceWav(workDir),
      ]);
      wavs = { order, human, done };
      return { customerWav: silence, staffWav: silence };
    },
  });
  ({ app, customer, staff: supervisor } = scene);
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

/** The AI's final caption lines on the call page. */
const agentLines = (page: Page) =>
  page.$$eval('#captions li[data-speaker="agent"][data-final="true"]', (items) =>
    items.map((item) => item.textContent ?? ''),
  );

/** Waits until the AI has said something new matching `pattern` and is listening again. */
async function aiAnswers(page: Page, before: number, pattern: RegExp, what: string): Promise<string> {
  const lines = await pollUntil(
    () => agentLines(page),
    (l) => l.slice(before).some((line) => pattern.test(line)),
    { timeoutMs: 30_000, intervalMs: 200, what },
  );
  await page.waitForSelector('#agent-state[data-state="listening"]', { timeout: 20_000 });
  return lines.slice(before).find((line) => pattern.test(line)) ?? '';
}

describe('handback after a human took over', () => {
  it("has the AI's read-back and the extraction include what the human added during the takeover", async () => {
    await startCustomerCall(customer.page, app.url);
    const page = customer.page;
    await aiAnswers(page, 0, /./, 'the greeting');

    let said = (await agentLines(page)).length;
    await speakInto(page, wavs.order);
    await aiAnswers(page, said, /pepperoni/i, "the AI taking the customer's pizza");

    const desk = supervisor.page;
    await signInConsole(desk, app.url, 'supervisor');
    await desk.waitForSelector('#calls li button:has-text("Listen")', { timeout: 15_000 });
    await desk.click('#calls li button:has-text("Listen")');
    await desk.waitForSelector('body[data-call-state="in-call"]', { timeout: 20_000 });
    await desk.click('#mode-takeover');
    await desk.waitForSelector('#mode-takeover[aria-pressed="true"]', { timeout: 10_000 });

    const token = await login('supervisor@voiceroom.local');
    const api = async <T>(url: string): Promise<T> =>
      (await (
        await fetch(`${app.url}${url}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as T;
    const { items } = await api<{ items: { id: string }[] }>('/api/calls?status=active');
    const callId = items[0]?.id as string;
    await speakInto(desk, wavs.human);
    await pollUntil(
      async () => (await api<{ transcript: Segment[] }>(`/api/calls/${callId}`)).transcript,
      (segments) => segments.some((s) => s.speaker === 'human' && /garlic/i.test(s.text)),
      { timeoutMs: 30_000, intervalMs: 500, what: "the supervisor's words as a human segment" },
    );

    // Handback: the supervisor goes back to listening; the AI answers the customer again.
    await desk.click('#mode-listen');
    await desk.waitForSelector('#mode-takeover[aria-pressed="false"]', { timeout: 10_000 });
    // The customer asks what the order comes to: the AI reads back the total of its order, the human's item in it.
    said = (await agentLines(page)).length;
    await speakInto(page, wavs.done);
    const readBack = await aiAnswers(page, said, /total/i, "the AI's read-back of the total");
    process.stdout.write(`read-back after handback: ${readBack}\n`);
    type Item = { name: string; sizes?: Record<string, number>; price?: number };
    const { menu } = await api<{ menu: { currency: string; items: Item[] } }>('/api/agent-configs/pizzeria');
    const priceOf = (name: string, size?: string) => {
      const item = menu.items.find((i) => i.name === name);
      return (size ? item?.sizes?.[size] : item?.price) ?? Number.NaN;
    };
    const pizza = priceOf('pepperoni pizza', 'large');
    const withHumanItem = pizza + priceOf('garlic bread');
    expect(readBack).toContain(priceToWords(withHumanItem, menu.currency));
    expect(readBack).not.toContain(priceToWords(pizza, menu.currency));
    await mkdir(SCREENS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS_DIR, 'call-handback.png'), fullPage: true });

    await desk.click('#leave-call');
    await page.click('#leave');
    const extracted = await pollUntil(
      () => api<{ extraction: { status: string; result: unknown } | null }>(`/api/calls/${callId}`),
      (call) => call.extraction?.status === 'succeeded' || call.extraction?.status === 'failed',
      { timeoutMs: 60_000, intervalMs: 500, what: 'the extraction of the call' },
    );
    expect(extracted.extraction?.status).toBe('succeeded');
    const result = JSON.stringify(extracted.extraction?.result);
    expect(result).toMatch(/garlic/i);
    expect(result).toMatch(/pepperoni/i);
  }, 240_000);
});
