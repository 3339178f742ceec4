/**
 * Screenshots of the customer call page (laptop 1280x800 and phone 360x740, during a live call with captions) and of
 * the agent console (live list, joined call, call detail), taken against the whole product (server, database, agent
 * worker, Chromium), each after checking that the elements a person needs are on screen. PNGs land in
 * bench/results/screens/ for people to look at.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/src/config.ts';
import type { TestApp } from '../helpers/app.ts';
import { type CallBrowser, dropWebSockets, inPage, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { type CallScene, startCallScene } from '../helpers/callScene.ts';
import { signInConsole } from '../helpers/consoleUsers.ts';

const SCREENS_DIR = path.join(REPO_ROOT, 'bench', 'results', 'screens');

let scene: CallScene;
let app: TestApp;
let customer: CallBrowser;
let supervisor: CallBrowser;

const shoot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });

const bubbles = (page: Page) =>
  page.$$eval('#captions li[data-speaker]', (items) =>
    items.map((li) => ({
      speaker: (li as HTMLElement).dataset.speaker ?? '',
      final: (li as HTMLElement).dataset.final === 'true',
      text: li.querySelector('.text')?.textContent ?? '',
      // A bubble: rounded, with its own background, customer on the right.
      radius: Number.parseFloat(getComputedStyle(li).borderTopLeftRadius),
      alignSelf: getComputedStyle(li).alignSelf,
    })),
  );

/** Turn metrics stored for the live call so far, read with the console's own session. */
const storedTurnMetrics = () =>
  inPage('reading the stored turn metrics', () =>
    supervisor.page.evaluate(async () => {
      const { accessToken } = JSON.parse(sessionStorage.getItem('voiceroom.console.session') ?? '{}');
      const get = (url: string) =>
        fetch(url, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) => r.json());
      const live = await get('/api/calls?status=active');
      const call = await get(`/api/calls/${live.items[0].id}`);
      return call.metrics.turns.length as number;
    }),
  );

beforeAll(async () => {
  scene = await startCallScene({
    name: 'screens',
    prepare: async (workDir) => {
      const [customerWav, staffWav] = await Promise.all([
        makeSpeechWav('Hello. I would like to order a large pepperoni pizza, please.', workDir, {
          name: 'customer',
          engine: 'flite',
        }),
        makeSpeechWav('Hello.', workDir, { name: 'supervisor' }),
        mkdir(SCREENS_DIR, { recursive: true }),
      ]);
      return { customerWav, staffWav };
    },
  });
  ({ app, customer, staff: supervisor } = scene);
}, 120_000);

afterAll(() => scene?.close());

describe('screens', () => {
  it('the call page shows the agent, a running timer, the mic meter, mute, state cue and captions as bubbles, and resumes after a network cut', async () => {
    const page = customer.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}/`);
    // Keyboard only: the call starts from the keyboard and focus lands on Mute (not on Hang up).
    await page.focus('#call');
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
    expect(
      await inPage('reading the focused element', () => page.evaluate(() => document.activeElement?.id)),
    ).toBe('mute');

    // Who we are calling: the AI agent's name from the room's participants.
    const agentName = await pollUntil(
      () => page.textContent('#agent-name'),
      (name) => name !== null && name !== 'Our assistant',
      { timeoutMs: 20_000, what: "the agent's name" },
    );
    const participants = await page.locator('#participants li').allTextContents();
    expect(participants).toContain(`${agentName} (AI assistant)`);

    const conversation = await pollUntil(
      () => bubbles(page),
      (lines) =>
        lines.some((l) => l.speaker === 'agent' && l.final && l.text.trim() !== '') &&
        lines.some((l) => l.speaker === 'customer' && l.final && l.text.trim() !== ''),
      { timeoutMs: 60_000, intervalMs: 250, what: 'final captions of the agent and of the caller' },
    );
    for (const line of conversation) expect(line.radius).toBeGreaterThan(4);
    expect(conversation.find((l) => l.speaker === 'customer')?.alignSelf).toBe('flex-end');
    expect(conversation.find((l) => l.speaker === 'agent')?.alignSelf).toBe('flex-start');

    const firstTick = await page.textContent('#call-timer');
    await pollUntil(
      () => page.textContent('#call-timer'),
      (t) => t !== firstTick,
      { timeoutMs: 3_000, what: 'the call timer to tick' },
    );
    expect(await page.getAttribute('#call-timer', 'data-running')).toBe('true');
    // The fake microphone plays speech in a loop: the meter moves.
    await pollUntil(
      () => page.$eval('#mic-level', (m) => (m as HTMLMeterElement).value),
      (level) => level > 0.2,
      { timeoutMs: 5_000, what: 'the microphone level meter to show the caller speaking' },
    );
    expect(await page.isVisible('#mute')).toBe(true);
    expect(await page.getAttribute('#mute', 'aria-pressed')).toBe('false');
    // Both read in one task of the page: the agent's state may change between two separate reads.
    const [cue, stateText] = await inPage('reading the call cue', () =>
      page.evaluate(() => [
        document.querySelector('#agent-avatar')?.getAttribute('data-state'),
        document.querySelector('#agent-state')?.getAttribute('data-state'),
      ]),
    );
    expect(['listening', 'thinking', 'speaking', 'paused']).toContain(cue);
    expect(stateText).toBe(cue);
    await shoot(page, 'call-laptop');

    await page.setViewportSize({ width: 360, height: 740 });
    // Usable at 360 px: nothing wider than the screen, the controls within it.
    expect(
      await inPage('reading the page width', () => page.evaluate(() => document.documentElement.scrollWidth)),
    ).toBeLessThanOrEqual(360);
    const leave = await page.locator('#leave').boundingBox();
    expect((leave?.x ?? 0) + (leave?.width ?? 0)).toBeLessThanOrEqual(360);
    await page.click('#mute');
    await page.waitForSelector('#mute[aria-pressed="true"]', { timeout: 5_000 });
    await shoot(page, 'call-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, 'call-phone-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.click('#mute');
    await page.waitForSelector('#mute[aria-pressed="false"]', { timeout: 5_000 });

    // A network cut: the page says so and resumes the same call without a reload (captions and timer kept).
    const linesBefore = await page.locator('#captions li').count();
    expect(await dropWebSockets(page)).toBeGreaterThan(0);
    await pollUntil(
      () => page.textContent('#status'),
      (text) => text === 'Reconnected. You are back in the call.',
      { timeoutMs: 20_000, what: 'the call page to report the call resumed' },
    );
    expect(await page.locator('#captions li').count()).toBeGreaterThanOrEqual(linesBefore);
    expect(await page.getAttribute('#call-timer', 'data-running')).toBe('true');
  }, 150_000);

  it('the console shows the live call row, the joined call with its transcript, and the call detail', async () => {
    const page = supervisor.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInConsole(page, app.url, 'supervisor');
    const row = page.locator('#calls li').first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('strong').textContent()).toBe('Caller');
    expect(await row.locator('.call-actions button').allTextContents()).toEqual([
      'Listen',
      'Whisper',
      'Barge in',
      'Take over',
    ]);
    // Nobody asked for a person: the queue is shown, empty, without an alert.
    expect(await page.getAttribute('#handoffs-section', 'data-alert')).toBe('false');
    expect(await page.isVisible('#no-handoffs')).toBe(true);
    await shoot(page, 'console-live');

    // A stale access token is renewed from the refresh cookie: the page stays signed in and keeps working.
    await inPage('preparing the console page', () =>
      page.evaluate(() => {
        const key = 'voiceroom.console.session';
        const session = JSON.parse(sessionStorage.getItem(key) ?? '{}');
        sessionStorage.setItem(key, JSON.stringify({ ...session, accessToken: 'expired.token.value' }));
      }),
    );
    await page.reload();
    await page.locator('#calls li').first().waitFor({ timeout: 15_000 });
    expect(await page.isVisible('#login')).toBe(false);
    expect(await page.isVisible('#error')).toBe(false);

    await page.click('#calls li button:has-text("Listen")');
    await page.waitForSelector('#mode-listen[aria-pressed="true"]', { timeout: 20_000 });
    await pollUntil(
      () => page.locator('#captions li[data-final="true"]').count(),
      (n) => n > 0,
      { timeoutMs: 30_000, intervalMs: 250, what: 'the live transcript at the console' },
    );
    expect(await page.isDisabled('#mode-barge')).toBe(true);
    await shoot(page, 'console-call');
    await page.setViewportSize({ width: 360, height: 740 });
    expect(
      await inPage('reading the page width', () => page.evaluate(() => document.documentElement.scrollWidth)),
    ).toBeLessThanOrEqual(360);
    await shoot(page, 'console-call-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    // Keep the call going until the AI has answered a turn, so the detail has latency to show, and the order was
    // heard: the history search and the extraction below need "pizza" in the transcript, and under load the first
    // answered turn can be the caller's "Hello." alone (the looped line goes on until it is heard).
    await pollUntil(storedTurnMetrics, (n) => n > 0, {
      timeoutMs: 60_000,
      intervalMs: 1_000,
      what: 'a measured AI turn in the call record',
    });
    await pollUntil(
      () => page.locator('#captions li[data-final="true"]').allTextContents(),
      (lines) => lines.some((line) => /pizza/i.test(line)),
      { timeoutMs: 60_000, intervalMs: 500, what: 'the order in the live transcript at the console' },
    );
    await page.click('#leave-call');
    await page.waitForSelector('#call-panel', { state: 'hidden', timeout: 10_000 });
    await customer.page.click('#leave');

    await page.click('#tab-history');
    await page.fill('#history-q', 'pizza');
    // The ended call's order is extracted in the background: search until the list says so.
    // Each read returns what the list shows (no read waits for a row), so a miss says what the supervisor saw.
    await pollUntil(
      async () => {
        await page.click('#history-filter button[type="submit"]');
        await page.waitForTimeout(500);
        const summary = await page.textContent('#history-summary');
        return { summary, rows: await page.locator('#history-rows tr').allTextContents() };
      },
      (seen) => seen.rows[0]?.includes('succeeded') ?? false,
      { timeoutMs: 60_000, intervalMs: 1_000, what: 'the ended call with its extraction in the history' },
    );
    expect(await page.textContent('#history-summary')).toBe('Calls 1–1 of 1.');
    await page.locator('#history-rows tr').first().locator('button').click();
    await page.waitForSelector('#detail:not([hidden])', { timeout: 10_000 });
    const speakers = await page.$$eval('#detail-transcript li', (items) =>
      items.map((li) => (li as HTMLElement).dataset.speaker),
    );
    expect(speakers).toEqual(expect.arrayContaining(['customer', 'agent']));
    expect(await page.locator('#detail-metrics-rows tr').count()).toBeGreaterThan(0);
    expect(await page.isVisible('#extraction-review')).toBe(true);
    const extracted = JSON.parse(await page.inputValue('#extraction-result'));
    expect(Array.isArray(extracted.items)).toBe(true);
    expect(await page.textContent('#extraction-order')).toContain('pizza');
    await shoot(page, 'console-detail');
    // A supervisor reviews: approving shows the new review state.
    await page.click('#extraction-approve');
    await page.waitForSelector('#extraction-state[data-review-status="approved"]', { timeout: 10_000 });
    // Correcting: the reviewer edits the JSON; the stored order and the review state follow.
    const corrected = {
      ...extracted,
      items: extracted.items.map((item: object, i: number) => (i === 0 ? { ...item, quantity: 2 } : item)),
    };
    await page.fill('#extraction-result', JSON.stringify(corrected, null, 2));
    await page.fill('#extraction-note', 'The customer asked for two.');
    await page.click('#extraction-correct');
    await page.waitForSelector('#extraction-state[data-review-status="corrected"]', { timeout: 10_000 });
    expect(await page.textContent('#extraction-order')).toContain('2× ');
  }, 150_000);
});
