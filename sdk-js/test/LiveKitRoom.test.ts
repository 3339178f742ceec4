/**
 * Room on the LiveKit backend in real Chromium: the SDK bundled into the harness page, our signaling server for call
 * control (control-only peers) and a real livekit-server node for the media. The same event scenario also runs on
 * mediasoup, so both backends are held to one contract.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaTicket, RoomRole } from '@voiceroom/protocol';
import { RoomServiceClient, TrackSource } from 'livekit-server-sdk';
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
import { startLiveKitNode, type TestLiveKit } from '../../test/helpers/livekit.ts';
import type { RecordedEvent } from './harness/harness.ts';

const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness');
const WAIT_MS = 15_000;
const NODE = { port: 7900, rtcPortRange: [52_000, 52_499] as [number, number] };

/** 'connected' announced after the last 'reconnecting'. */
function isBackAfterReconnecting(events: RecordedEvent[]): boolean {
  const states = events.filter((e) => e.event === 'connectionStateChanged').map((e) => e.detail.state);
  return states.lastIndexOf('connected') > states.lastIndexOf('reconnecting');
}

type Backend = MediaTicket['backend'];
type HarnessWindow = {
  sdk: typeof import('../src/index.ts');
  record(room: unknown): unknown;
  room: import('../src/index.ts').Room;
  roomEvents: RecordedEvent[];
};

let workDir: string;
let server: MediaServer;
let livekit: TestLiveKit;
let customer: CallBrowser;
let staff: CallBrowser;
let listener: CallBrowser;
let room: string;
let counter = 0;

interface JoinOptions {
  backend?: Backend;
  /** Publish the fake microphone once joined, to everyone or (a whisper) to staff. */
  audience?: 'everyone' | 'staff';
  /** LiveKit grants the control plane gives silent listeners. */
  hidden?: boolean;
  canPublish?: boolean;
  /** The track sources the LiveKit token allows (default: any). */
  sources?: TrackSource[];
}

/**
 * Joins `browser` as `role` and returns the id the OTHER participants know it by (the signaling peer id on
 * mediasoup, the LiveKit identity on LiveKit).
 */
async function join(browser: CallBrowser, role: RoomRole, options: JoinOptions = {}): Promise<string> {
  const backend = options.backend ?? 'livekit';
  const identity = `${role === 'customer' ? 'customer' : 'staff'}:${role}-${counter}`;
  const token = await server.roomToken({ room, role, name: role, identity });
  const media: MediaTicket =
    backend === 'livekit'
      ? {
          backend,
          url: livekit.url,
          token: await livekit.token({
            room,
            identity,
            metadata: { role, name: role },
            grant: {
              hidden: options.hidden ?? false,
              canPublish: options.canPublish ?? true,
              ...(options.sources ? { canPublishSources: options.sources } : {}),
            },
          }),
        }
      : { backend };
  const peerId = await browser.page.evaluate(
    async ({ url, token, media, audience }) => {
      const w = window as unknown as HarnessWindow;
      w.room = await w.sdk.connect(url, token, { media });
      w.record(w.room);
      if (audience) await w.room.publishMicrophone(undefined, { audience });
      return w.room.localPeer.peerId;
    },
    { url: server.url, token, media, audience: options.audience },
  );
  return backend === 'livekit' ? identity : peerId;
}

const eventsOf = (browser: CallBrowser) =>
  browser.page.evaluate(() => (window as unknown as HarnessWindow).roomEvents);

const waitForEvents = (browser: CallBrowser, accept: (events: RecordedEvent[]) => boolean, what: string) =>
  pollUntil(() => eventsOf(browser), accept, { timeoutMs: WAIT_MS, what });

const has =
  (event: string, match: Record<string, unknown> = {}) =>
  (events: RecordedEvent[]) =>
    events.some((e) => e.event === event && Object.entries(match).every(([k, v]) => e.detail[k] === v));

const participantsOf = (browser: CallBrowser) =>
  browser.page.evaluate(() =>
    [...(window as unknown as HarnessWindow).room.participants.values()].map((p) => ({
      peerId: p.peerId,
      role: p.role,
    })),
  );

const trackPeers = (browser: CallBrowser) =>
  browser.page.evaluate(() =>
    [...(window as unknown as HarnessWindow).room.remoteTracks.values()].map((t) => t.participant.peerId),
  );

/** The control plane's LiveKit API (what the server does with RoomServiceClient). */
const liveKitAdmin = () =>
  new RoomServiceClient(livekit.url.replace('ws', 'http'), livekit.apiKey, livekit.apiSecret);

const run = (
  browser: CallBrowser,
  action: 'mute' | 'unmute' | 'leave' | 'unpublish' | 'publish' | 'handBack',
) =>
  browser.page.evaluate(async (action) => {
    const r = (window as unknown as HarnessWindow).room;
    const step = {
      mute: () => r.setMuted(true),
      unmute: () => r.setMuted(false),
      leave: () => r.leave(),
      unpublish: () => r.unpublishMicrophone(),
      publish: () => r.publishMicrophone().then(() => undefined),
      handBack: () => r.copilot.handBack(),
    }[action];
    return step().then(
      () => 'ok',
      (error: { code: string }) => error.code,
    );
  }, action);

/** Inbound audio that is really flowing: packets arriving and a non-silent level, on at least `streams` streams. */
const hearing = (browser: CallBrowser, streams: number, what: string) =>
  pollUntil(
    () => readInboundAudio(browser.page),
    (s) => s.streams >= streams && s.packetsReceived > 50 && s.totalAudioEnergy > 0,
    { timeoutMs: WAIT_MS, what },
  );

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-sdk-livekit-'));
  const wav = await makeSpeechWav('One two three four five, testing the voice room on LiveKit.', workDir);
  const harness = await buildPage(HARNESS, path.join(workDir, 'page'));
  [server, livekit] = await Promise.all([
    startMediaServer({ emptyRoomGraceMs: 60_000, onRequest: pageFiles(harness) }),
    startLiveKitNode(NODE),
  ]);
  const launch = () => launchCallBrowser({ fakeAudioWav: wav });
  [customer, staff, listener] = await Promise.all([launch(), launch(), launch()]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([customer?.close(), staff?.close(), listener?.close()]);
  await server?.close();
  await livekit?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  room = `sdk-livekit-${process.pid}-${++counter}`;
  await Promise.all([customer, staff, listener].map((b) => b.page.goto(server.url)));
});

describe.each<Backend>(['mediasoup', 'livekit'])('Room events on %s', (backend) => {
  it('announces a participant, their track, its mute and unmute, and their leaving, in that order', async () => {
    await join(staff, 'human_agent', { backend });
    const caller = await join(customer, 'customer', { backend, audience: 'everyone' });
    await waitForEvents(staff, has('trackSubscribed', { peerId: caller }), "the caller's track at the agent");
    expect(await run(customer, 'mute')).toBe('ok');
    await waitForEvents(staff, has('trackMuted', { peerId: caller, muted: true }), 'the mute at the agent');
    expect(await run(customer, 'unmute')).toBe('ok');
    await waitForEvents(
      staff,
      has('trackMuted', { peerId: caller, muted: false }),
      'the unmute at the agent',
    );
    expect(await run(customer, 'leave')).toBe('ok');
    const events = await waitForEvents(
      staff,
      has('participantLeft', { peerId: caller }),
      'the caller leaving',
    );

    const theirs = events.filter((e) => e.detail.peerId === caller && e.event !== 'activeSpeaker');
    expect(theirs.map((e) => `${e.event}:${e.detail.kind ?? ''}:${e.detail.muted ?? ''}`)).toEqual([
      'participantJoined::',
      'trackSubscribed:audio:',
      'trackMuted:audio:true',
      'trackMuted:audio:false',
      'trackUnsubscribed:audio:',
      'participantLeft::',
    ]);
    expect(theirs[0]?.detail.role).toBe('customer');
    const own = await eventsOf(customer);
    expect(own.filter((e) => e.event === 'muteChanged').map((e) => e.detail.muted)).toEqual([true, false]);
    // 'connected' came before the recorder was attached (connect resolves connected).
    expect(own.filter((e) => e.event === 'connectionStateChanged').map((e) => e.detail.state)).toEqual([
      'disconnected',
    ]);
  }, 60_000);

  it("names the speaker: the caller's voice makes them the active speaker at the agent", async () => {
    await join(staff, 'human_agent', { backend });
    const caller = await join(customer, 'customer', { backend, audience: 'everyone' });
    await waitForEvents(
      staff,
      has('activeSpeaker', { peerId: caller, isLocal: false }),
      'the caller speaking',
    );
    await waitForEvents(customer, has('activeSpeaker', { isLocal: true }), 'the caller hearing it is them');
  }, 60_000);
});

describe('Room on LiveKit', () => {
  it('carries audio both ways between a customer and a staff member', async () => {
    const agent = await join(staff, 'human_agent', { audience: 'everyone' });
    const caller = await join(customer, 'customer', { audience: 'everyone' });
    await Promise.all([
      hearing(customer, 1, 'audio at the customer'),
      hearing(staff, 1, 'audio at the agent'),
    ]);
    expect(await trackPeers(customer)).toEqual([agent]);
    expect(await trackPeers(staff)).toEqual([caller]);
    expect(await participantsOf(customer)).toEqual([{ peerId: agent, role: 'human_agent' }]);
  }, 60_000);

  it("keeps a hidden listener out of the customer's participants while it hears both sides", async () => {
    const agent = await join(staff, 'human_agent', { audience: 'everyone' });
    const caller = await join(customer, 'customer', { audience: 'everyone' });
    await join(listener, 'supervisor', { hidden: true, canPublish: false });
    await hearing(listener, 2, 'both sides at the listener');
    expect((await trackPeers(listener)).sort()).toEqual([agent, caller].sort());
    expect(await participantsOf(customer)).toEqual([{ peerId: agent, role: 'human_agent' }]);
    expect(await participantsOf(staff)).toEqual([{ peerId: caller, role: 'customer' }]);
    expect(await run(listener, 'publish')).toBe('forbidden');
  }, 60_000);

  it('sends a staff whisper to the agent but never to the customer, who hears the same person once they barge in', async () => {
    // Both join after the whisper is published: permissions follow who is in the room.
    const whisperer = await join(staff, 'human_agent', { audience: 'staff' });
    await join(customer, 'customer');
    await join(listener, 'agent_ai', { canPublish: false });
    // Subscribed while connect() resolved or later: read the room's tracks rather than the recorded events.
    await pollUntil(
      () => trackPeers(listener),
      (peers) => peers.includes(whisperer),
      { timeoutMs: WAIT_MS, what: 'the whisper at the agent' },
    );
    await hearing(listener, 1, 'the whisper audible at the agent');
    // By now the SFU had as long to (wrongly) forward the whisper to the customer as it took to reach the agent.
    expect((await participantsOf(customer)).map((p) => p.peerId)).toContain(whisperer);
    expect(await trackPeers(customer)).toEqual([]);
    expect((await readInboundAudio(customer.page)).packetsReceived).toBe(0);

    expect(await run(staff, 'unpublish')).toBe('ok');
    expect(await run(staff, 'publish')).toBe('ok');
    await waitForEvents(
      customer,
      has('trackSubscribed', { peerId: whisperer }),
      'the barge-in at the customer',
    );
    await hearing(customer, 1, 'the barge-in audible at the customer');
  }, 60_000);

  it('lets a hidden listen-only supervisor speak while the control plane lifts its LiveKit grants for a takeover, and closes its microphone on handback', async () => {
    await join(customer, 'customer');
    const supervisor = await join(listener, 'supervisor', { hidden: true, canPublish: false });
    expect(await run(listener, 'publish')).toBe('forbidden');
    const holder = await listener.page.evaluate(async () => {
      const r = (window as unknown as HarnessWindow).room;
      const takeover = await r.copilot.takeOver();
      return { holder: takeover?.peerId, self: r.localPeer.peerId };
    });
    expect(holder.holder).toBe(holder.self);
    await waitForEvents(
      listener,
      has('copilotState', { holder: holder.self }),
      'the takeover at the supervisor',
    );
    // What the LiveKit control plane does on a takeover: the holder becomes visible and may publish.
    await liveKitAdmin().updateParticipant(room, supervisor, {
      permission: { canPublish: true, canSubscribe: true, hidden: false },
    });
    await pollUntil(
      () => run(listener, 'publish'),
      (result) => result === 'ok',
      { timeoutMs: WAIT_MS, what: 'the supervisor allowed to publish' },
    );
    await waitForEvents(
      customer,
      has('trackSubscribed', { peerId: supervisor }),
      'the supervisor at the customer',
    );
    await hearing(customer, 1, 'the supervisor audible at the customer');

    // Handback: the control plane takes the grant back; the SDK reports the microphone closed, as on mediasoup.
    expect(await run(listener, 'handBack')).toBe('ok');
    await liveKitAdmin().updateParticipant(room, supervisor, {
      permission: { canPublish: false, canSubscribe: true, hidden: true },
    });
    await waitForEvents(listener, has('microphoneClosed'), "the supervisor's microphone closed on handback");
    await pollUntil(
      () => trackPeers(customer),
      (peers) => !peers.includes(supervisor),
      { timeoutMs: WAIT_MS, what: "the supervisor's voice to leave the customer" },
    );
    expect(
      await listener.page.evaluate(() => (window as unknown as HarnessWindow).room.microphone ?? null),
    ).toBeNull();
  }, 60_000);

  it('ends the session, without rejoining, when the control plane deletes the LiveKit room', async () => {
    await join(customer, 'customer', { audience: 'everyone' });
    await liveKitAdmin().deleteRoom(room);
    const events = await waitForEvents(
      customer,
      has('connectionStateChanged', { state: 'disconnected' }),
      'the customer disconnected',
    );
    expect(events.filter((e) => e.event === 'roomClosed').map((e) => e.detail)).toEqual([
      { reason: 'room_ended', rejoin: false },
    ]);
    expect(
      await customer.page.evaluate(() => (window as unknown as HarnessWindow).room.microphone ?? null),
    ).toBeNull();
  }, 60_000);

  it("refuses with forbidden a publish the LiveKit grants exclude (the microphone is not among the token's sources)", async () => {
    await join(customer, 'customer', { sources: [TrackSource.SCREEN_SHARE_AUDIO] });
    expect(await run(customer, 'publish')).toBe('forbidden');
    expect(
      await customer.page.evaluate(() => (window as unknown as HarnessWindow).room.microphone ?? null),
    ).toBeNull();
  }, 60_000);

  it('rejects a media token the LiveKit server did not sign, with unauthorized', async () => {
    const token = await server.roomToken({ room, role: 'customer', name: 'customer' });
    const code = await customer.page.evaluate(
      ({ url, token, media }) =>
        (window as unknown as HarnessWindow).sdk.connect(url, token, { media }).then(
          () => 'connected',
          (error: { code: string }) => error.code,
        ),
      {
        url: server.url,
        token,
        media: { backend: 'livekit' as const, url: livekit.url, token: 'forged.token.x' },
      },
    );
    expect(code).toBe('unauthorized');
  }, 30_000);

  it('carries the call through a LiveKit node crash and restart: reconnecting, connected, audio both ways again', async () => {
    const agent = await join(staff, 'human_agent', { audience: 'everyone' });
    await join(customer, 'customer', { audience: 'everyone' });
    await Promise.all([
      hearing(customer, 1, 'audio at the customer'),
      hearing(staff, 1, 'audio at the agent'),
    ]);

    await livekit.kill();
    livekit = await startLiveKitNode({
      ...NODE,
      keys: { apiKey: livekit.apiKey, apiSecret: livekit.apiSecret },
    });
    const events = await waitForEvents(
      customer,
      (e) => has('connectionStateChanged', { state: 'reconnecting' })(e) && isBackAfterReconnecting(e),
      'the customer back after the restart',
    );
    expect(events.some((e) => e.event === 'roomClosed' || e.event === 'microphoneClosed')).toBe(false);
    await waitForEvents(customer, has('trackSubscribed', { peerId: agent }), "the agent's voice again");
    for (const browser of [customer, staff]) {
      const before = await readInboundAudio(browser.page);
      await pollUntil(
        () => readInboundAudio(browser.page),
        (s) =>
          s.packetsReceived > before.packetsReceived + 50 && s.totalAudioEnergy > before.totalAudioEnergy,
        { timeoutMs: WAIT_MS, what: 'audio flowing again after the restart' },
      );
    }
  }, 90_000);
});
