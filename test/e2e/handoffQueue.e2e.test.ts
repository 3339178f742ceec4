/**
 * The console's handoff queue view in real Chromium, fed requests by the test (the live handoff feed is not part of
 * this server yet): a new request raises the visual and audible alert once, shows its summary and can be accepted;
 * a request someone else took reads as taken. Saves the alert as bench/results/screens/console-handoff-alert.png.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffRequest } from '../../client/src/console/ConsoleDataSource.ts';
import { type CallBrowser, inPage, launchCallBrowser, makeSpeechWav } from '../helpers/browser.ts';
import { buildPage, pageFiles } from '../helpers/clientPage.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENS_DIR = path.join(ROOT, 'bench', 'results', 'screens');

let workDir: string;
let server: Server;
let url: string;
let browser: CallBrowser;

const REQUEST: HandoffRequest = {
  id: 'h1',
  callId: '00000000-0000-4000-8000-000000000001',
  roomId: 'room-1',
  reason: 'asked for a person',
  customerName: 'Maria',
  sentiment: 'negative',
  orderSoFar: [{ name: 'pepperoni pizza', size: 'large', quantity: 1 }],
  lastTurns: [
    { speaker: 'customer', text: 'This is the third time I call, I want to talk to a person.' },
    { speaker: 'agent', text: 'I am getting someone from the team for you.' },
  ],
  requestedAt: '2026-12-04T21:00:00.000Z',
  takenBy: null,
};

type HarnessWindow = {
  harness: {
    HandoffQueueView: new () => {
      render(requests: HandoffRequest[], onAccept: (request: HandoffRequest) => void): void;
    };
  };
  queue: { render(requests: HandoffRequest[], onAccept: (request: HandoffRequest) => void): void };
  accepted: string[];
  oscillators: number;
};

const render = (requests: HandoffRequest[]) =>
  inPage('showing the handoff list', () =>
    browser.page.evaluate((list) => {
      const w = window as unknown as HarnessWindow;
      w.queue.render(list, (request) => w.accepted.push(request.id));
    }, requests),
  );

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-handoff-queue-'));
  const [wav, pageDir] = await Promise.all([
    makeSpeechWav('Hello.', workDir),
    buildPage(path.join(ROOT, 'client', 'test', 'harness'), path.join(workDir, 'page')),
    mkdir(SCREENS_DIR, { recursive: true }),
  ]);
  server = createServer(pageFiles(pageDir));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchCallBrowser({ fakeAudioWav: wav });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('handoff queue view', () => {
  it('alerts once per new request, shows its summary, accepts it, and marks a request taken by someone else', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url);
    await inPage('preparing the harness', () =>
      page.evaluate(() => {
        const w = window as unknown as HarnessWindow;
        w.accepted = [];
        w.oscillators = 0;
        // Count the chime's tones where the browser makes them.
        const create = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function (this: AudioContext) {
          w.oscillators += 1;
          return create.call(this);
        };
        w.queue = new w.harness.HandoffQueueView();
      }),
    );
    const oscillators = () =>
      inPage('reading the alert oscillators', () =>
        page.evaluate(() => (window as unknown as HarnessWindow).oscillators),
      );

    await render([]);
    expect(await page.getAttribute('#handoffs-section', 'data-alert')).toBe('false');
    expect(await page.isVisible('#no-handoffs')).toBe(true);
    expect(await oscillators()).toBe(0);

    await render([REQUEST]);
    expect(await page.getAttribute('#handoffs-section', 'data-alert')).toBe('true');
    expect(await page.isVisible('#no-handoffs')).toBe(false);
    const item = page.locator('#handoffs li[data-handoff-id="h1"]');
    expect(await item.locator('strong').textContent()).toBe('Maria: asked for a person');
    expect(await item.textContent()).toContain('order: 1× large pepperoni pizza');
    expect(await item.locator('.handoff-turns li').count()).toBe(2);
    expect(await oscillators()).toBe(2);
    await page.screenshot({ path: path.join(SCREENS_DIR, 'console-handoff-alert.png') });

    // The same request again (the next update of the feed) does not ring again.
    await render([REQUEST]);
    expect(await oscillators()).toBe(2);
    await page.click('#handoffs li[data-handoff-id="h1"] button:has-text("Accept")');
    expect(
      await inPage('reading the accepted handoffs', () =>
        page.evaluate(() => (window as unknown as HarnessWindow).accepted),
      ),
    ).toEqual(['h1']);

    await render([{ ...REQUEST, takenBy: 'Dana' }]);
    expect(await page.getAttribute('#handoffs-section', 'data-alert')).toBe('false');
    expect(await page.isDisabled('#handoffs li[data-handoff-id="h1"] button')).toBe(true);
    expect(await page.textContent('#handoffs li[data-handoff-id="h1"] button')).toBe('Taken by Dana');
  }, 60_000);
});
