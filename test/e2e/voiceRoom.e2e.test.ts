/**
 * The voice-room must-show, end to end: real headless Chromium (fake microphone playing synthesized speech) running
 * the built call page on the SDK, real socket.io signaling, real mediasoup (ICE + DTLS + SRTP, Opus).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RoomRole } from '@voiceroom/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../../server/test/helpers/mediaServer.ts';
import {
  type CallBrowser,
  dropWebSockets,
  inPage,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
  remoteIceUfrags,
} from '../helpers/browser.ts';
import { buildClientPage, pageFiles } from '../helpers/clientPage.ts';
import { step, withCleanup } from '../helpers/deadline.ts';

const HEAR_WITHIN_MS = 10_000;
/** Closing a page or a media server (socket.io waits for every connection to end): measured well under 1 s. */
const CLOSE_MS = 5_000;
/** The rejoin test's own budget: its two closes fit after it within vitest's 90 s. */
const REJOIN_TEST_MS = 78_000;

let workDir: string;
let server: MediaServer;
let pageDir: string;
let caller: CallBrowser;
let agent: CallBrowser;
let roomCounter = 0;

/** The call page, served by the media server itself (same origin as signaling), joining with `token`. */
const callPageUrl = (media: MediaServer, token: string): string =>
  `${media.url}/?${new URLSearchParams({ token })}`;

const newRoom = (): string => `e2e-${process.pid}-${Date.now().toString(36)}-${roomCounter++}`;

async function openCall(
  browser: CallBrowser,
  room: string,
  role: RoomRole,
  options: { listenOnly?: boolean } = {},
) {
  const token = await server.roomToken({ room, role, name: `${role} ${roomCounter}`, ...options });
  await inPage(`the ${role} page to load`, () => browser.page.goto(callPageUrl(server, token)));
  await inPage(`the ${role}'s Call click`, () => browser.page.click('#call'));
  await browser.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}

/** Waits until the page has received audio packets with a non-zero level (someone audible is reaching it). */
function hearsAudio(browser: CallBrowser, what: string, morePacketsThan = 0) {
  return pollUntil(
    () => readInboundAudio(browser.page),
    (stats) => stats.packetsReceived > morePacketsThan && stats.audioLevel > 0,
    { timeoutMs: HEAR_WITHIN_MS, intervalMs: 100, what },
  );
}

/** The room's own bookkeeping; the room stays registered (long empty-room grace) so a leak cannot hide. */
function roomCounts(room: string) {
  const found = server.registry.get(room);
  if (!found) throw new Error(`room ${room} is not registered on the server`);
  return found.stats();
}

/** The room's peer ids, sorted (undefined when the room is gone). */
function peerIds(room: string): string[] | undefined {
  return server.registry
    .get(room)
    ?.peers.map((p) => p.id)
    .sort();
}

/** Records the SDK's connection states in the page (the page exposes its Room as window.voiceRoomCall.room). */
function recordConnectionStates(browser: CallBrowser): Promise<void> {
  return inPage("recording the page's connection states", () =>
    browser.page.evaluate(() => {
      const w = window as unknown as {
        voiceRoomCall: { room: { on(e: string, l: (s: string) => void): void } };
        connectionStates: string[];
        loadMarker: string;
      };
      w.connectionStates = [];
      w.loadMarker = 'same-page';
      w.voiceRoomCall.room.on('connectionStateChanged', (state) => w.connectionStates.push(state));
    }),
  );
}

const pageState = (browser: CallBrowser) =>
  browser.page.evaluate(() => {
    const w = window as unknown as { connectionStates?: string[]; loadMarker?: string };
    return { states: w.connectionStates ?? [], marker: w.loadMarker ?? 'reloaded' };
  });

/** Hangs up on every page (the Leave button). */
const leave = (...pages: Page[]) =>
  inPage('the Leave clicks', () => Promise.all(pages.map((page) => page.click('#leave'))));

const statusText = (browser: CallBrowser) =>
  inPage('reading the call status', () => browser.page.textContent('#status'));

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-e2e-'));
  const [callerWav, agentWav] = await Promise.all([
    makeSpeechWav('Hello, I would like to order a large pepperoni pizza, please.', workDir, {
      name: 'caller',
    }),
    makeSpeechWav('Thank you for calling Luigi pizzeria. What can I get for you today?', workDir, {
      name: 'agent',
      engine: 'flite',
    }),
  ]);
  pageDir = await buildClientPage(path.join(workDir, 'client'));
  server = await startMediaServer({ emptyRoomGraceMs: 120_000, onRequest: pageFiles(pageDir) });
  [caller, agent] = await Promise.all([
    launchCallBrowser({ fakeAudioWav: callerWav }),
    launchCallBrowser({ fakeAudioWav: agentWav }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([caller?.close(), agent?.close()]);
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('voice room in real browsers', () => {
  it('lets two browsers hear each other within 10 s and frees every media object when both leave', async () => {
    const room = newRoom();
    const poolBefore = server.pool.mediaCounts;
    await Promise.all([openCall(caller, room, 'customer'), openCall(agent, room, 'human_agent')]);

    const [callerHears, agentHears] = await Promise.all([
      hearsAudio(caller, 'the caller to hear the agent'),
      hearsAudio(agent, 'the agent to hear the caller'),
    ]);
    expect(callerHears.packetsReceived).toBeGreaterThan(0);
    expect(agentHears.audioLevel).toBeGreaterThan(0);
    // Each browser: a send and a recv transport, one producer, one consumer of the other's producer.
    expect(roomCounts(room)).toEqual({ peers: 2, transports: 4, producers: 2, consumers: 2 });
    const listed = await pollUntil(
      () => caller.page.locator('#participants li').allTextContents(),
      (items) => items.length === 2,
      { timeoutMs: 5_000, what: 'the caller page to list both participants' },
    );
    expect(listed).toEqual(['You', expect.stringContaining('(agent)')]);

    await leave(caller.page, agent.page);
    const after = await pollUntil(
      async () => roomCounts(room),
      (c) => c.transports === 0 && c.producers === 0 && c.consumers === 0,
      { timeoutMs: 10_000, what: 'the room to free its transports, producers and consumers' },
    );
    expect(after).toMatchObject({ transports: 0, producers: 0, consumers: 0 });
    // And what mediasoup itself still holds (router dump, observer counts), independent of the room's bookkeeping.
    expect(await server.registry.get(room)?.routerStats()).toEqual({ transports: 0 });
    expect(server.pool.mediaCounts).toMatchObject({
      transports: poolBefore.transports,
      producers: poolBefore.producers,
      consumers: poolBefore.consumers,
    });
    // The page says so once its leave request is answered, which can come after the room has freed everything.
    const status = await pollUntil(
      () => statusText(caller),
      (text) => text === 'You hung up.',
      { timeoutMs: 5_000, what: 'the caller page to say it hung up' },
    );
    expect(status).toBe('You hung up.');
  }, 60_000);

  it('refuses a listen-only participant who tries to publish, while it keeps hearing the room', async () => {
    const room = newRoom();
    await openCall(caller, room, 'customer');
    await openCall(agent, room, 'human_agent', { listenOnly: true });
    expect(await statusText(agent)).toBe('In call, listening only.');

    const refusal = await inPage('a listen-only publish', () =>
      agent.page.evaluate(() => {
        const w = window as unknown as { voiceRoomCall: { room: { publishMicrophone(): Promise<unknown> } } };
        return w.voiceRoomCall.room.publishMicrophone().then(
          () => ({ code: 'published', message: '' }),
          (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
        );
      }),
    );
    expect(refusal.code).toBe('forbidden');
    expect(roomCounts(room).producers).toBe(1);
    const heard = await hearsAudio(agent, 'the listen-only agent to hear the caller');
    expect(heard.audioLevel).toBeGreaterThan(0);
    // Nobody hears the listener: the caller has no consumer.
    expect((await readInboundAudio(caller.page)).streams).toBe(0);

    await leave(caller.page, agent.page);
  }, 60_000);

  it('resumes audio after the signaling socket drops, with an ICE restart and without a page reload', async () => {
    const room = newRoom();
    await Promise.all([openCall(caller, room, 'customer'), openCall(agent, room, 'human_agent')]);
    await Promise.all([
      hearsAudio(caller, 'first audio at the caller'),
      hearsAudio(agent, 'first audio at the agent'),
    ]);
    await recordConnectionStates(caller);
    const ufragsBefore = await remoteIceUfrags(caller.page);
    const peersBefore = peerIds(room);

    expect(await dropWebSockets(caller.page)).toBe(1);
    const { states, marker } = await pollUntil(
      () => pageState(caller),
      (s) => s.states.at(-1) === 'connected',
      { timeoutMs: 15_000, what: 'the caller to reconnect' },
    );
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(marker).toBe('same-page');
    // Resumed within the grace period: same peers, ICE restarted on both transports.
    expect(peerIds(room)).toEqual(peersBefore);
    const ufragsAfter = await remoteIceUfrags(caller.page);
    expect(ufragsAfter).toHaveLength(2);
    for (const ufrag of ufragsAfter) expect(ufragsBefore).not.toContain(ufrag);

    const [callerBase, agentBase] = await Promise.all([
      readInboundAudio(caller.page),
      readInboundAudio(agent.page),
    ]);
    await Promise.all([
      hearsAudio(caller, 'audio at the caller after the reconnect', callerBase.packetsReceived + 50),
      hearsAudio(agent, 'audio at the agent after the reconnect', agentBase.packetsReceived + 50),
    ]);
    expect(roomCounts(room)).toEqual({ peers: 2, transports: 4, producers: 2, consumers: 2 });

    await leave(caller.page, agent.page);
  }, 60_000);

  it('resumes when the server side loses the connection, keeping the same peers', async () => {
    const room = newRoom();
    await Promise.all([openCall(caller, room, 'customer'), openCall(agent, room, 'human_agent')]);
    await Promise.all([
      hearsAudio(caller, 'first audio at the caller'),
      hearsAudio(agent, 'first audio at the agent'),
    ]);
    await recordConnectionStates(agent);
    const peers = server.registry.get(room)?.peers ?? [];
    const agentPeer = peers.find((p) => p.role === 'human_agent')?.id ?? '';

    expect(server.signaling.dropConnection(agentPeer)).toBe(true);
    const { states, marker } = await pollUntil(
      () => pageState(agent),
      (s) => s.states.at(-1) === 'connected',
      { timeoutMs: 15_000, what: 'the agent to reconnect' },
    );
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(marker).toBe('same-page');
    expect(peerIds(room)).toEqual(peers.map((p) => p.id).sort());
    const base = await readInboundAudio(agent.page);
    await hearsAudio(agent, 'audio at the agent after the reconnect', base.packetsReceived + 50);
    expect(roomCounts(room)).toEqual({ peers: 2, transports: 4, producers: 2, consumers: 2 });

    await leave(caller.page, agent.page);
  }, 60_000);

  it('rejoins from scratch and republishes the microphone when the server already dropped the peer', {
    timeout: REJOIN_TEST_MS + 2 * CLOSE_MS + 2_000,
  }, async () => {
    // The whole test is one step, the cleanup bounded after it, both inside vitest's timeout: whatever is slow or
    // hangs is named (with the steps still running inside it), never the anonymous 90 s timeout.
    let shortGrace: MediaServer | undefined;
    let callerPage: Page | undefined;
    let signalingBlocked = false;
    const body = async () => {
      const media = await step('the short-grace media server to start', 20_000, () =>
        startMediaServer({
          reconnectGraceMs: 1_000,
          emptyRoomGraceMs: 120_000,
          onRequest: pageFiles(pageDir),
        }),
      );
      shortGrace = media;
      const page = await inPage('a second caller page to open', () => caller.context.newPage());
      callerPage = page;
      // While blocked, every new signaling WebSocket is refused, so the outage outlasts the server's grace period.
      await inPage('the signaling route to be installed', () =>
        page.routeWebSocket(/\/socket\.io\//, (ws) => {
          if (signalingBlocked) ws.close();
          else ws.connectToServer();
        }),
      );
      const room = newRoom();
      const token = (role: RoomRole) => media.roomToken({ room, role, name: role });
      const [callerToken, agentToken] = await Promise.all([token('customer'), token('human_agent')]);
      await inPage('the caller page to load', () => page.goto(callPageUrl(media, callerToken)));
      await inPage('the agent page to load', () => agent.page.goto(callPageUrl(media, agentToken)));
      await inPage('the Call clicks', () => Promise.all([page.click('#call'), agent.page.click('#call')]));
      const callerView: CallBrowser = { ...caller, page };
      await Promise.all([
        hearsAudio(callerView, 'first audio at the caller'),
        hearsAudio(agent, 'first audio'),
      ]);
      await recordConnectionStates(callerView);
      const serverRoom = media.registry.get(room);
      const agentPeer = serverRoom?.peers.find((p) => p.role === 'human_agent')?.id;
      const oldCallerPeer = serverRoom?.peers.find((p) => p.role === 'customer')?.id;

      signalingBlocked = true;
      expect(await dropWebSockets(page)).toBe(1);
      await pollUntil(
        async () => serverRoom?.peers.map((p) => p.id) ?? [],
        (ids) => ids.length === 1 && ids[0] === agentPeer,
        { timeoutMs: 15_000, what: "the server to drop the caller's peer after its grace period" },
      );
      signalingBlocked = false;

      const { states, marker } = await pollUntil(
        () => pageState(callerView),
        (s) => s.states.at(-1) === 'connected',
        { timeoutMs: 20_000, what: 'the caller to rejoin' },
      );
      expect(states).toEqual(['reconnecting', 'connected']);
      expect(marker).toBe('same-page');
      const newCallerPeer = serverRoom?.peers.find((p) => p.role === 'customer')?.id;
      expect(newCallerPeer).toBeDefined();
      expect(newCallerPeer).not.toBe(oldCallerPeer);
      const agentBase = await readInboundAudio(agent.page);
      // The microphone was published again on the new peer, so the agent hears the caller anew, and vice versa.
      await Promise.all([
        hearsAudio(agent, "the caller's republished audio at the agent", agentBase.packetsReceived + 50),
        hearsAudio(callerView, 'audio at the rejoined caller'),
      ]);
      expect(serverRoom?.stats()).toEqual({ peers: 2, transports: 4, producers: 2, consumers: 2 });
      await leave(page, agent.page);
    };
    await withCleanup(
      () => step('the rejoin test', REJOIN_TEST_MS, body),
      [
        { what: 'closing the second caller page', ms: CLOSE_MS, run: async () => callerPage?.close() },
        { what: 'closing the short-grace media server', ms: CLOSE_MS, run: async () => shortGrace?.close() },
      ],
    );
  });
});
