/**
 * Room in real Chromium (the SDK bundled by Vite into a harness page) against the real signaling server and mediasoup.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoomRole } from '@voiceroom/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../../server/test/helpers/mediaServer.ts';
import {
  type CallBrowser,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../../test/helpers/browser.ts';
import { buildPage, pageFiles } from '../../test/helpers/clientPage.ts';
import type { RecordedEvent } from './harness/harness.ts';

const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness');

let workDir: string;
let server: MediaServer;
let alice: CallBrowser;
let bob: CallBrowser;
let room: string;
let counter = 0;

type HarnessWindow = {
  sdk: typeof import('../src/index.ts');
  record(room: unknown): unknown;
  room: import('../src/index.ts').Room;
  roomEvents: RecordedEvent[];
};

async function join(browser: CallBrowser, role: RoomRole = 'customer', publish = true): Promise<string> {
  const token = await server.roomToken({ room, role, name: role });
  return browser.page.evaluate(
    async ({ url, token, publish }) => {
      const w = window as unknown as HarnessWindow;
      const joined = await w.sdk.connect(url, token);
      w.room = joined;
      w.record(joined);
      if (publish) await joined.publishMicrophone();
      return joined.localPeer.peerId;
    },
    { url: server.url, token, publish },
  );
}

const eventsOf = (browser: CallBrowser) =>
  browser.page.evaluate(() => (window as unknown as HarnessWindow).roomEvents);

function waitForEvents(browser: CallBrowser, accept: (events: RecordedEvent[]) => boolean, what: string) {
  return pollUntil(() => eventsOf(browser), accept, { timeoutMs: 15_000, what });
}

const has =
  (event: string, match: Record<string, unknown> = {}) =>
  (events: RecordedEvent[]) =>
    events.some((e) => e.event === event && Object.entries(match).every(([k, v]) => e.detail[k] === v));

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-sdk-room-'));
  const wav = await makeSpeechWav('One two three four five, testing the voice room.', workDir);
  const harness = await buildPage(HARNESS, path.join(workDir, 'page'));
  server = await startMediaServer({ emptyRoomGraceMs: 60_000, onRequest: pageFiles(harness) });
  [alice, bob] = await Promise.all([
    launchCallBrowser({ fakeAudioWav: wav }),
    launchCallBrowser({ fakeAudioWav: wav }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([alice?.close(), bob?.close()]);
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  room = `sdk-room-${process.pid}-${counter++}`;
  await Promise.all([alice.page.goto(server.url), bob.page.goto(server.url)]);
});

describe('Room', () => {
  it('rejects connect with the server code when the token is not valid', async () => {
    const code = await alice.page.evaluate(
      (url) =>
        (window as unknown as HarnessWindow).sdk.connect(url, 'not-a-token').then(
          () => 'connected',
          (error: { code: string }) => error.code,
        ),
      server.url,
    );
    expect(code).toBe('unauthorized');
  });

  it('announces a participant and their track when they join, and removes both when they leave', async () => {
    await join(bob, 'human_agent', false);
    const alicePeer = await join(alice);
    await waitForEvents(bob, has('trackSubscribed', { peerId: alicePeer }), "Alice's track at Bob");
    await alice.page.evaluate(() => (window as unknown as HarnessWindow).room.leave());
    const events = await waitForEvents(bob, has('participantLeft', { peerId: alicePeer }), 'Alice leaving');
    expect(
      events
        // Active-speaker updates interleave with these depending on timing; they are not what is tested here.
        .filter((e) => e.detail.peerId === alicePeer && e.event !== 'activeSpeaker')
        .map((e) => `${e.event}:${e.detail.kind ?? ''}`),
    ).toEqual(['participantJoined:', 'trackSubscribed:audio', 'trackUnsubscribed:audio', 'participantLeft:']);
    expect(await bob.page.evaluate(() => (window as unknown as HarnessWindow).room.remoteTracks.size)).toBe(
      0,
    );
  }, 60_000);

  it('lists who was already there and holds their tracks once connect resolves', async () => {
    const alicePeer = await join(alice);
    await join(bob, 'human_agent', false);
    const seen = await pollUntil(
      () =>
        bob.page.evaluate(() => {
          const r = (window as unknown as HarnessWindow).room;
          return {
            participants: [...r.participants.keys()],
            tracks: [...r.remoteTracks.values()].map((t) => t.participant.peerId),
          };
        }),
      (s) => s.tracks.length === 1,
      { timeoutMs: 10_000, what: "Alice's track in Bob's remoteTracks" },
    );
    expect(seen).toEqual({ participants: [alicePeer], tracks: [alicePeer] });
  }, 60_000);

  it('shows a remote mute as a muted track and the unmute as unmuted', async () => {
    await join(bob, 'human_agent', false);
    const alicePeer = await join(alice);
    await waitForEvents(bob, has('trackSubscribed', { peerId: alicePeer }), "Alice's track");
    await alice.page.evaluate(() => (window as unknown as HarnessWindow).room.setMuted(true));
    await waitForEvents(bob, has('trackMuted', { peerId: alicePeer, muted: true }), 'the mute at Bob');
    expect(await alice.page.evaluate(() => (window as unknown as HarnessWindow).room.muted)).toBe(true);
    await alice.page.evaluate(() => (window as unknown as HarnessWindow).room.setMuted(false));
    await waitForEvents(bob, has('trackMuted', { peerId: alicePeer, muted: false }), 'the unmute at Bob');
  }, 60_000);

  it('ends the session when the server closes the room for good', async () => {
    await join(alice);
    await join(bob);
    await waitForEvents(bob, has('trackSubscribed'), 'a track at Bob');
    server.registry.get(room)?.close('room_ended');
    const events = await waitForEvents(
      bob,
      has('connectionStateChanged', { state: 'disconnected' }),
      'the end',
    );
    expect(events.find((e) => e.event === 'roomClosed')?.detail).toEqual({
      reason: 'room_ended',
      rejoin: false,
    });
    expect(events.some((e) => e.event === 'trackUnsubscribed')).toBe(true);
    const after = await bob.page.evaluate(() => {
      const r = (window as unknown as HarnessWindow).room;
      return {
        state: r.connectionState,
        tracks: r.remoteTracks.size,
        microphone: r.microphone?.readyState ?? 'none',
      };
    });
    expect(after).toEqual({ state: 'disconnected', tracks: 0, microphone: 'none' });
  }, 60_000);

  it('rejoins as a new peer on its own when the server closes the room asking to rejoin', async () => {
    const aliceBefore = await join(alice);
    const bobBefore = await join(bob);
    await waitForEvents(bob, has('trackSubscribed'), 'a track at Bob');
    server.registry.get(room)?.close('worker_died', true);
    for (const browser of [alice, bob]) {
      await waitForEvents(
        browser,
        (events) =>
          has('roomClosed', { rejoin: true })(events) &&
          events.at(-1)?.event !== 'roomClosed' &&
          events.filter((e) => e.event === 'connectionStateChanged').at(-1)?.detail.state === 'connected',
        'the automatic rejoin',
      );
    }
    const peers = server.registry.get(room)?.peers.map((p) => p.id) ?? [];
    expect(peers).toHaveLength(2);
    expect(peers).not.toContain(aliceBefore);
    expect(peers).not.toContain(bobBefore);
    // The microphones were published again: each hears the other on the new session.
    const base = await readInboundAudio(bob.page);
    await pollUntil(
      () => readInboundAudio(bob.page),
      (s) => s.packetsReceived > base.packetsReceived + 25 && s.audioLevel > 0,
      { timeoutMs: 15_000, what: 'audio at Bob after the rejoin' },
    );
    expect(server.registry.get(room)?.stats()).toMatchObject({ peers: 2, producers: 2, consumers: 2 });
  }, 60_000);

  it('leaves once, releases the microphone and refuses to publish afterwards', async () => {
    await join(alice);
    const result = await alice.page.evaluate(async () => {
      const r = (window as unknown as HarnessWindow).room;
      const microphone = r.microphone;
      await r.leave();
      await r.leave();
      const publish = await r.publishMicrophone().then(
        () => 'published',
        (error: { code: string }) => error.code,
      );
      return { microphone: microphone?.readyState, state: r.connectionState, publish };
    });
    expect(result).toEqual({ microphone: 'ended', state: 'disconnected', publish: 'room_left' });
    await pollUntil(
      async () => server.registry.get(room)?.stats().peers,
      (n) => n === 0,
      {
        timeoutMs: 5_000,
        what: 'the server to drop the peer',
      },
    );
  }, 60_000);
});
