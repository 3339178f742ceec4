/**
 * Issue 9's must-show, against the whole product: a customer (Chromium, fake microphone playing a flite sentence)
 * asks the AI for a person; the available human agent's console (Chromium, signed in as the demo agent) shows the
 * request with its summary within 1 s of the end of that sentence; on Accept the AI's audio stops at the customer
 * within 500 ms and the human and the customer hear each other.
 *
 * The 1 s and 500 ms are the product's aims; this test, which shares 2 cores with the rest of the suite, fails past
 * 3 s and 1 s (what a loaded CI machine still meets); `npm run bench:handoff` measures the distributions.
 *
 * Times are wall-clock (Date.now) read inside both browsers on this machine: the customer page samples its WebRTC
 * stats every 20 ms (when its microphone last carried the sentence, when the AI's audio last arrived), the console
 * page records when the request appeared and when Accept was clicked.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { type CallBrowser, inPage, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { type CallScene, startCallScene } from '../helpers/callScene.ts';
import { signInConsole } from '../helpers/consoleUsers.ts';

let scene: CallScene;
let app: TestApp;
let customer: CallBrowser;
let human: CallBrowser;

type Monitor = {
  /** The times the microphone carried speech. */
  spokeAt: number[];
  /** Per remote role: the last time its audio energy grew, the energy so far, the last time a packet arrived. */
  heard: Record<string, { at: number; energy: number; packetAt: number }>;
};

/**
 * Samples the page's audio every 20 ms: `spokeAt` (times the outgoing microphone was loud) and, per remote role,
 * when audio energy last arrived. `handle` names the window object exposing the SDK Room.
 */
async function monitorAudio(page: Page, handle: 'voiceRoomCall' | 'voiceRoomConsole'): Promise<void> {
  await inPage('starting the audio monitor', () =>
    page.evaluate((handleName) => {
      type RemoteTrack = { participant: { role?: string }; track: MediaStreamTrack };
      const w = window as unknown as Record<string, unknown> & {
        __voiceRoomPeerConnections?: RTCPeerConnection[];
        __monitor: Monitor;
      };
      const monitor: Monitor = { spokeAt: [], heard: {} };
      w.__monitor = monitor;
      const energies = new Map<string, number>();
      let busy = false;
      setInterval(async () => {
        if (busy) return;
        busy = true;
        try {
          const now = Date.now();
          const room = (w[handleName] as { room: { remoteTracks: Map<string, RemoteTrack> } | null }).room;
          const roles = new Map<string, string>();
          for (const remote of room?.remoteTracks.values() ?? [])
            roles.set(remote.track.id, remote.participant.role ?? 'unlisted');
          for (const pc of w.__voiceRoomPeerConnections ?? []) {
            if (pc.connectionState === 'closed') continue;
            const report = await pc.getStats();
            report.forEach((s: Record<string, unknown>) => {
              if (s.type === 'media-source' && s.kind === 'audio') {
                // Energy sent since the last sample (audioLevel lags: it is smoothed over a window).
                const energy = Number(s.totalAudioEnergy ?? 0);
                const key = `source:${String(s.id)}`;
                // Louder than a level of 0.02 over the 20 ms.
                if (energy - (energies.get(key) ?? energy) > 0.02 ** 2 * 0.02) monitor.spokeAt.push(now);
                energies.set(key, energy);
              }
              if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
              const role = roles.get(String(s.trackIdentifier ?? ''));
              if (!role) return;
              const energy = Number(s.totalAudioEnergy ?? 0);
              const packets = Number(s.packetsReceived ?? 0);
              const key = String(s.id);
              const heard = monitor.heard[role] ?? { at: 0, energy: 0, packetAt: 0 };
              monitor.heard[role] = heard;
              // The first sample of a stream is its baseline: only what arrives while sampling counts.
              const before = energies.get(key) ?? energy;
              if (energy > before + 1e-7) {
                heard.at = now;
                heard.energy += energy - before;
              }
              if (packets > (energies.get(`packets:${key}`) ?? packets)) heard.packetAt = now;
              energies.set(key, energy);
              energies.set(`packets:${key}`, packets);
            });
          }
        } finally {
          busy = false;
        }
      }, 20);
    }, handle),
  );
}

const readMonitor = (page: Page): Promise<Monitor> =>
  inPage('reading the audio monitor', () =>
    page.evaluate(() => (window as unknown as { __monitor: Monitor }).__monitor),
  );

beforeAll(async () => {
  scene = await startCallScene({
    name: 'handoff',
    prepare: async (workDir) => {
      const [askWav, laterWav, staffWav] = await Promise.all([
        makeSpeechWav('I want to talk to a person.', workDir, { name: 'ask', engine: 'flite' }),
        makeSpeechWav('My name is Carla and I ordered a pizza.', workDir, { name: 'later', engine: 'flite' }),
        makeSpeechWav('Hello, this is Sam from the team, how can I help you?', workDir, { name: 'human' }),
      ]);
      // The customer lets the AI's greeting finish, asks once, is quiet while the AI answers and the human accepts,
      // then speaks again (to the human);
      // the long tail keeps the looping fake microphone from asking a second time during the test.
      const customerWav = path.join(workDir, 'customer.wav');
      const sox = (...args: string[]) => promisify(execFile)('sox', args);
      const paddedAsk = path.join(workDir, 'ask-padded.wav');
      const paddedLater = path.join(workDir, 'later-padded.wav');
      await Promise.all([
        sox(askWav, paddedAsk, 'pad', '6', '9'),
        sox(laterWav, paddedLater, 'pad', '0', '60'),
      ]);
      await sox(paddedAsk, paddedLater, customerWav);
      return { customerWav, staffWav };
    },
  });
  ({ app, customer, staff: human } = scene);
}, 120_000);

afterAll(() => scene?.close());

describe('handoff to a human agent', () => {
  it('shows the request with its summary at the available agent right after the sentence; on Accept the AI falls silent and the human and the customer hear each other', async () => {
    const desk = human.page;
    await signInConsole(desk, app.url, 'agent');
    await desk.waitForSelector('body[data-availability="available"]', { timeout: 15_000 });
    await inPage('watching for the handoff request', () =>
      desk.evaluate(() => {
        const w = window as unknown as { __handoffShownAt?: number };
        const list = document.getElementById('handoffs') as HTMLElement;
        new MutationObserver(() => {
          if (w.__handoffShownAt === undefined && list.querySelector('li[data-handoff-id]'))
            w.__handoffShownAt = Date.now();
        }).observe(list, { childList: true, subtree: true });
      }),
    );

    await customer.page.goto(`${app.url}/`);
    await monitorAudio(customer.page, 'voiceRoomCall');
    await customer.page.click('#call');
    await customer.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });

    const request = await desk.waitForSelector('#handoffs li[data-handoff-id]', { timeout: 60_000 });
    const shownAt = await inPage('reading when the handoff request showed', () =>
      desk.evaluate(() => (window as unknown as { __handoffShownAt: number }).__handoffShownAt),
    );
    const summary = (await request.textContent()) ?? '';
    expect(summary).toContain('caller asked for a human');
    expect(summary).toMatch(/customer: .*person/i);
    expect(await desk.getAttribute('#handoffs-section', 'data-alert')).toBe('true');
    // The end of the sentence: the last loud microphone sample before the request appeared.
    const sentenceEnd = (await readMonitor(customer.page)).spokeAt.filter((t) => t <= shownAt).at(-1) ?? 0;
    expect(sentenceEnd, 'the customer to have spoken before the request appeared').toBeGreaterThan(0);
    const notifyMs = shownAt - sentenceEnd;
    process.stdout.write(`handoff shown ${notifyMs} ms after the end of the sentence\n`);
    expect(notifyMs).toBeLessThanOrEqual(3_000);

    const acceptedAt = await inPage('the Accept click', () =>
      desk.evaluate(() => {
        const accept = document.querySelector<HTMLButtonElement>('#handoffs li[data-handoff-id] button');
        const at = Date.now();
        accept?.click();
        return at;
      }),
    );
    await desk.waitForSelector('#mode-takeover[aria-pressed="true"]', { timeout: 20_000 });
    // Only now: sampling the console's stats earlier would load the page the request has to reach in time.
    await monitorAudio(desk, 'voiceRoomConsole');

    // The AI's audio stops at the customer: no packet of it arrives later than 500 ms after the accept. (The
    // played-out energy lasts a little longer: the jitter buffer and loss concealment fade out what arrived.)
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterAccept = await readMonitor(customer.page);
    const ai = afterAccept.heard.agent_ai ?? { at: 0, energy: 0, packetAt: 0 };
    process.stdout.write(
      `AI audio at the customer after the accept: last packet +${ai.packetAt - acceptedAt} ms, last energy +${ai.at - acceptedAt} ms\n`,
    );
    expect(ai.energy, 'the AI to have been heard by the customer').toBeGreaterThan(0);
    expect(ai.packetAt - acceptedAt).toBeLessThanOrEqual(1_000);

    // The customer hears the human, the human hears the customer (their second sentence).
    await pollUntil(
      () => readMonitor(customer.page),
      (m) => (m.heard.human_agent?.energy ?? 0) > 1e-3,
      { timeoutMs: 15_000, what: "the human's voice at the customer" },
    );
    await pollUntil(
      () => readMonitor(desk),
      (m) => (m.heard.customer?.at ?? 0) > acceptedAt && (m.heard.customer?.energy ?? 0) > 1e-3,
      { timeoutMs: 25_000, what: "the customer's voice at the human" },
    );
    expect((await readMonitor(customer.page)).heard.agent_ai?.packetAt).toBe(ai.packetAt);
  }, 180_000);
});
