/**
 * The customer call page, unchanged, on the LiveKit backend: real Chromium loads the built client, POST /api/calls
 * answers a ticket whose `media` names a real livekit-server node (as the control plane does with
 * SFU_BACKEND=livekit), and a staff member on the SDK harness talks with the caller. Captions still come over our
 * signaling.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../sdk-js/test/harness/harness.ts';
import { type MediaServer, startMediaServer } from '../../server/test/helpers/mediaServer.ts';
import {
  type CallBrowser,
  inPage,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../helpers/browser.ts';
import { buildClientPage, buildPage, pageFiles } from '../helpers/clientPage.ts';
import { step } from '../helpers/deadline.ts';
import { startLiveKitNode, type TestLiveKit } from '../helpers/livekit.ts';

const HARNESS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sdk-js/test/harness');
const WAIT_MS = 15_000;
/** Joining or signing in from the page (a connect, a login) under load. */
const SIGN_IN_MS = 20_000;

type HarnessWindow = {
  sdk: typeof import('../../sdk-js/src/index.ts');
  record(room: unknown): unknown;
  room: import('../../sdk-js/src/index.ts').Room;
  roomEvents: RecordedEvent[];
};

let workDir: string;
let server: MediaServer;
let livekit: TestLiveKit;
let caller: CallBrowser;
let staff: CallBrowser;
const room = `callpage-livekit-${process.pid}`;
const callerIdentity = `customer:${process.pid}`;

/** POST /api/calls as the LiveKit control plane answers it; /harness/ is the SDK harness; the rest the client. */
function routes(clientDir: string, harnessDir: string): RequestListener {
  const client = pageFiles(clientDir);
  const harness = pageFiles(harnessDir);
  return (req, res) => {
    if (req.method === 'POST' && req.url === '/api/calls') {
      void (async () => {
        const token = await server.roomToken({
          room,
          role: 'customer',
          name: 'Caller',
          identity: callerIdentity,
        });
        const media = {
          backend: 'livekit',
          url: livekit.url,
          token: await livekit.token({
            room,
            identity: callerIdentity,
            metadata: { role: 'customer', name: 'Caller' },
          }),
        };
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ roomId: room, token, iceServers: [], media }));
      })();
      return;
    }
    if (req.url?.startsWith('/harness/')) {
      req.url = req.url.slice('/harness'.length);
      harness(req, res);
      return;
    }
    client(req, res);
  };
}

const staffEvents = () =>
  inPage("reading the staff harness's room events", () =>
    staff.page.evaluate(() => (window as unknown as HarnessWindow).roomEvents),
  );
const staffSees = (event: string, match: Record<string, unknown>, what: string) =>
  pollUntil(
    staffEvents,
    (events) =>
      events.some((e) => e.event === event && Object.entries(match).every(([k, v]) => e.detail[k] === v)),
    { timeoutMs: WAIT_MS, what },
  );

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-callpage-livekit-'));
  const wav = await makeSpeechWav('Hello, can I order a pizza for delivery?', workDir);
  const [clientDir, harnessDir] = await Promise.all([
    buildClientPage(path.join(workDir, 'client')),
    buildPage(HARNESS, path.join(workDir, 'harness')),
  ]);
  [server, livekit] = await Promise.all([
    startMediaServer({ onRequest: routes(clientDir, harnessDir) }),
    startLiveKitNode({ port: 7904, rtcPortRange: [52_500, 52_999] }),
  ]);
  [caller, staff] = await Promise.all([
    launchCallBrowser({ fakeAudioWav: wav }),
    launchCallBrowser({ fakeAudioWav: wav }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([caller?.close(), staff?.close()]);
  await server?.close();
  await livekit?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('customer call page on LiveKit', () => {
  it('calls, talks both ways through LiveKit, shows captions from signaling, mutes and hangs up', async () => {
    await staff.page.goto(`${server.url}/harness/`);
    const staffToken = await server.roomToken({
      room,
      role: 'human_agent',
      name: 'Agent',
      identity: 'staff:agent',
    });
    const staffMedia = {
      backend: 'livekit' as const,
      url: livekit.url,
      token: await livekit.token({
        room,
        identity: 'staff:agent',
        metadata: { role: 'human_agent', name: 'Agent' },
      }),
    };
    await step('the staff harness to join and publish', SIGN_IN_MS, () =>
      staff.page.evaluate(
        async ({ url, token, media }) => {
          const w = window as unknown as HarnessWindow;
          w.room = await w.sdk.connect(url, token, { media });
          w.record(w.room);
          await w.room.publishMicrophone();
        },
        { url: server.url, token: staffToken, media: staffMedia },
      ),
    );

    await caller.page.goto(server.url);
    await caller.page.click('#call');
    await caller.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
    await staffSees('trackSubscribed', { peerId: callerIdentity }, "the caller's voice at the agent");
    for (const [browser, what] of [
      [caller, 'the agent audible in the call page'],
      [staff, 'the caller audible at the agent'],
    ] as const) {
      await pollUntil(
        () => readInboundAudio(browser.page),
        (s) => s.packetsReceived > 50 && s.totalAudioEnergy > 0,
        { timeoutMs: WAIT_MS, what },
      );
    }

    server.bus.emit('transcript', {
      roomId: room,
      segmentId: 'a1',
      speaker: 'agent',
      text: 'Sure, which toppings?',
      final: true,
      startMs: 0,
      endMs: 500,
      interrupted: false,
    });
    await caller.page.waitForSelector('#captions li[data-final="true"]', { timeout: WAIT_MS });
    expect(await caller.page.textContent('#captions li .text')).toBe('Sure, which toppings?');

    await caller.page.click('#mute');
    await staffSees('trackMuted', { peerId: callerIdentity, muted: true }, 'the mute at the agent');
    await caller.page.click('#mute');
    await staffSees('trackMuted', { peerId: callerIdentity, muted: false }, 'the unmute at the agent');

    await caller.page.click('#leave');
    await staffSees('participantLeft', { peerId: callerIdentity }, 'the caller hanging up');
  }, 90_000);
});
