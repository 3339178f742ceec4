/**
 * Co-pilot controls of the SDK in real Chromium against the real signaling server: takeover lets a listen-only
 * supervisor speak until handback, staff whispers never reach the customer, grants are enforced.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoomRole } from '@voiceroom/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../../server/test/helpers/mediaServer.ts';
import { type CallBrowser, launchCallBrowser, makeSpeechWav, pollUntil } from '../../test/helpers/browser.ts';
import { buildPage, pageFiles } from '../../test/helpers/clientPage.ts';
import type { RecordedEvent } from './harness/harness.ts';

const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness');

type HarnessWindow = {
  sdk: typeof import('../src/index.ts');
  record(room: unknown): unknown;
  room: import('../src/index.ts').Room;
  roomEvents: RecordedEvent[];
};

let workDir: string;
let server: MediaServer;
let customer: CallBrowser;
let staff: CallBrowser;
let colleague: CallBrowser;
let room: string;
let counter = 0;

async function join(browser: CallBrowser, role: RoomRole, audience?: 'everyone' | 'staff'): Promise<string> {
  const token = await server.roomToken({ room, role, name: role });
  return browser.page.evaluate(
    async ({ url, token, audience }) => {
      const w = window as unknown as HarnessWindow;
      w.room = await w.sdk.connect(url, token);
      w.record(w.room);
      if (audience) await w.room.publishMicrophone(undefined, { audience });
      return w.room.localPeer.peerId;
    },
    { url: server.url, token, audience },
  );
}

/** Runs a Room call in the page and returns 'ok' or the VoiceRoomError code. */
function attempt(
  browser: CallBrowser,
  action: 'publish' | 'takeOver' | 'handBack' | 'hint',
): Promise<string> {
  return browser.page.evaluate(async (action) => {
    const r = (window as unknown as HarnessWindow).room;
    const run = {
      publish: () => r.publishMicrophone(),
      takeOver: () => r.copilot.takeOver(),
      handBack: () => r.copilot.handBack(),
      hint: () => r.copilot.hint('Offer the customer a free drink.'),
    }[action];
    return run().then(
      () => 'ok',
      (error: { code: string }) => error.code,
    );
  }, action);
}

const trackPeers = (browser: CallBrowser) =>
  browser.page.evaluate(() =>
    [...(window as unknown as HarnessWindow).room.remoteTracks.values()].map((t) => t.participant.peerId),
  );

const events = (browser: CallBrowser) =>
  browser.page.evaluate(() => (window as unknown as HarnessWindow).roomEvents);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-sdk-copilot-'));
  const wav = await makeSpeechWav('This is the supervisor speaking, let me help you.', workDir);
  server = await startMediaServer({
    onRequest: pageFiles(await buildPage(HARNESS, path.join(workDir, 'page'))),
  });
  const launch = () => launchCallBrowser({ fakeAudioWav: wav });
  [customer, staff, colleague] = await Promise.all([launch(), launch(), launch()]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([customer?.close(), staff?.close(), colleague?.close()]);
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  room = `sdk-copilot-${process.pid}-${counter++}`;
  await Promise.all([customer, staff, colleague].map((b) => b.page.goto(server.url)));
});

describe('Copilot', () => {
  it('lets a listen-only supervisor speak to the customer only while holding the takeover', async () => {
    await join(customer, 'customer', 'everyone');
    const supervisor = await join(staff, 'supervisor');
    expect(await attempt(staff, 'publish')).toBe('forbidden');

    expect(await attempt(staff, 'takeOver')).toBe('ok');
    expect(
      await staff.page.evaluate(() => (window as unknown as HarnessWindow).room.copilot.takeover?.peerId),
    ).toBe(supervisor);
    expect(await attempt(staff, 'publish')).toBe('ok');
    await pollUntil(
      () => trackPeers(customer),
      (peers) => peers.includes(supervisor),
      {
        timeoutMs: 10_000,
        what: "the supervisor's voice at the customer",
      },
    );

    expect(await attempt(staff, 'handBack')).toBe('ok');
    const after = await pollUntil(
      () => events(staff),
      (e) => e.some((x) => x.event === 'microphoneClosed'),
      {
        timeoutMs: 10_000,
        what: "the server to close the supervisor's microphone on handback",
      },
    );
    expect(after.filter((e) => e.event === 'copilotState').map((e) => e.detail.holder)).toEqual([
      supervisor,
      null,
    ]);
    await pollUntil(
      () => trackPeers(customer),
      (peers) => !peers.includes(supervisor),
      {
        timeoutMs: 10_000,
        what: "the supervisor's track to leave the customer",
      },
    );
    const microphone = await staff.page.evaluate(
      () => (window as unknown as HarnessWindow).room.microphone ?? null,
    );
    expect(microphone).toBeNull();
  }, 60_000);

  it('delivers a staff whisper to other staff but never to the customer', async () => {
    await join(customer, 'customer');
    await join(colleague, 'supervisor');
    const whisperer = await join(staff, 'human_agent', 'staff');
    await pollUntil(
      () => trackPeers(colleague),
      (peers) => peers.includes(whisperer),
      {
        timeoutMs: 10_000,
        what: 'the whisper at the supervisor',
      },
    );
    expect(await trackPeers(customer)).toEqual([]);
    expect(server.registry.get(room)?.stats()).toMatchObject({ producers: 1, consumers: 1 });
  }, 60_000);

  it('enforces the grants: a customer cannot take over, a hint needs an AI agent in the room', async () => {
    await join(customer, 'customer');
    await join(staff, 'human_agent');
    expect(await attempt(customer, 'takeOver')).toBe('forbidden');
    expect(await attempt(customer, 'hint')).toBe('forbidden');
    expect(await attempt(staff, 'hint')).toBe('not_found');
  }, 60_000);
});
