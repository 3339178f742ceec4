/**
 * The whole product from the customer's side: the real server (database, signaling, mediasoup) serves the built call
 * page; a real agent worker process answers. The customer clicks Call in Chromium, hears the AI agent, sees it in the
 * participant list, its state and its captions, and the caller's own speech comes back as captions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  type CallBrowser,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../helpers/browser.ts';
import { buildClientPage } from '../helpers/clientPage.ts';

let workDir: string;
let app: TestApp;
let caller: CallBrowser;

const captions = () =>
  caller.page.$$eval('#captions li', (items) =>
    items.map((li) => ({
      speaker: (li as HTMLElement).dataset.speaker ?? '',
      final: (li as HTMLElement).dataset.final === 'true',
      text: li.querySelector('.text')?.textContent ?? '',
    })),
  );

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-customer-call-'));
  const [wav, clientDir] = await Promise.all([
    makeSpeechWav('Hello. I would like to order a large pepperoni pizza, please.', workDir, {
      engine: 'flite',
    }),
    buildClientPage(path.join(workDir, 'client')),
  ]);
  app = await startTestApp({ agent: { pipeline: 'voice' }, clientDir });
  caller = await launchCallBrowser({ fakeAudioWav: wav });
}, 120_000);

afterAll(async () => {
  await caller?.close();
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a customer calling the AI agent from the call page', () => {
  it('hears the agent, sees it, its state and both sides of the conversation as captions', async () => {
    await caller.page.goto(`${app.url}/`);
    expect(await caller.page.textContent('#call')).toBe('Call');
    await caller.page.click('#call');
    await caller.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });

    const participants = await pollUntil(
      () => caller.page.locator('#participants li').allTextContents(),
      (items) => items.some((item) => item.includes('(AI assistant)')),
      { timeoutMs: 20_000, what: 'the AI agent to join the call' },
    );
    expect(participants[0]).toBe('You');

    const heard = await pollUntil(
      () => readInboundAudio(caller.page),
      // The agent talks in turns, so test the energy rendered so far rather than the level of this instant.
      (stats) => stats.packetsReceived > 0 && stats.totalAudioEnergy > 0,
      { timeoutMs: 20_000, what: "the agent's voice at the caller" },
    );
    expect(heard.streams).toBeGreaterThan(0);

    const conversation = await pollUntil(
      captions,
      (lines) =>
        lines.some((l) => l.speaker === 'agent' && l.final && l.text.trim() !== '') &&
        lines.some((l) => l.speaker === 'customer' && l.final && l.text.trim() !== ''),
      { timeoutMs: 45_000, intervalMs: 250, what: 'final captions of the agent and of the caller' },
    );
    expect(conversation.length).toBeGreaterThanOrEqual(2);
    // The page shows the state the agent reported (before any report it reads "not connected").
    expect(await caller.page.textContent('#agent-state')).not.toBe('not connected');

    await caller.page.click('#leave');
    expect(await caller.page.textContent('#status')).toBe('You hung up.');
  }, 120_000);
});
