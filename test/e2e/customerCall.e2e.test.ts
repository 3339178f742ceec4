/**
 * The whole product from the customer's side: the real server (database, signaling, mediasoup) serves the built call
 * page; a real agent worker process answers. The customer clicks Call in Chromium, hears the AI agent, sees it in the
 * participant list, its state and its captions, and the caller's own speech comes back as captions.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTranscript } from '../../agent-worker/src/stages/stt/lm/normalize.ts';
import { wordErrors } from '../../agent-worker/src/stages/stt/wordErrorRate.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  type CallBrowser,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../helpers/browser.ts';
import { buildClientPage } from '../helpers/clientPage.ts';

const SAID = 'Hello. I would like to order a large pepperoni pizza, please.';
const GREETING = "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?";

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
  const [said, clientDir] = await Promise.all([
    makeSpeechWav(SAID, workDir, { engine: 'flite' }),
    buildClientPage(path.join(workDir, 'client')),
  ]);
  // the fake microphone loops its file: 5 s of silence before and after the sentence let the greeting play and
  // the agent answer, as a caller who waits for the other side would
  const wav = path.join(workDir, 'caller.wav');
  await promisify(execFile)('sox', [said, wav, 'pad', '5', '5']);
  app = await startTestApp({ agent: { pipeline: 'voice' }, clientDir });
  caller = await launchCallBrowser({ fakeAudioWav: wav });
}, 120_000);

afterAll(async () => {
  await caller?.close();
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a customer calling the AI agent from the call page', () => {
  it("hears the agent, sees it and its state, and reads the agent's greeting and its own words as captions", async () => {
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
        lines.some(
          (l) => l.speaker === 'agent' && l.final && !['', '(interrupted)'].includes(l.text.trim()),
        ) && lines.some((l) => l.speaker === 'customer' && l.final && l.text.trim() !== ''),
      { timeoutMs: 45_000, intervalMs: 250, what: 'final captions of the agent and of the caller' },
    );
    // the agent's captions are its words: the greeting (or as much as was heard before the caller talked over it,
    // shown with "…") or its answer to the order
    const agentLines = conversation
      .filter((l) => l.speaker === 'agent' && l.final)
      .map((l) => l.text.replace(/\s*…$/, ''))
      .filter((t) => t !== '' && t !== '(interrupted)');
    expect(
      agentLines.some((t) => GREETING.startsWith(t) || /pepperoni/i.test(t)),
      JSON.stringify(agentLines),
    ).toBe(true);
    // the caller's caption is what the caller said, as recognised: the order's words, most of the sentence right
    const own = conversation.filter((l) => l.speaker === 'customer' && l.final).map((l) => l.text);
    const best = own
      .map((text) => ({ text, ...wordErrors(SAID, text) }))
      .sort((a, b) => a.errors - b.errors)[0];
    expect(best?.errors, `caller captions: ${JSON.stringify(own)}`).toBeLessThanOrEqual(
      (best?.words ?? 0) / 2,
    );
    expect(normalizeTranscript(best?.text ?? '')).toEqual(expect.arrayContaining(['large', 'pepperoni']));
    // The page shows the state the agent reported (before any report it reads "not connected").
    expect(await caller.page.textContent('#agent-state')).not.toBe('not connected');

    await caller.page.click('#leave');
    expect(await caller.page.textContent('#status')).toBe('You hung up.');
  }, 120_000);
});
