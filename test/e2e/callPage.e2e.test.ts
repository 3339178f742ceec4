/**
 * The customer call page in real Chromium against the real signaling server: live captions and agent state relayed
 * from the server's call event bus, and mute/unmute reaching the server's producer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../../server/test/helpers/mediaServer.ts';
import { type CallBrowser, launchCallBrowser, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { buildClientPage, pageFiles } from '../helpers/clientPage.ts';

let workDir: string;
let server: MediaServer;
let caller: CallBrowser;

async function joinAsCaller(room: string): Promise<void> {
  const token = await server.roomToken({ room, role: 'customer', name: 'Caller' });
  await caller.page.goto(`${server.url}/?${new URLSearchParams({ token })}`);
  await caller.page.click('#call');
  await caller.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}

const captions = () =>
  caller.page.$$eval('#captions li', (items) =>
    items.map((li) => ({
      speaker: (li as HTMLElement).dataset.speaker,
      final: (li as HTMLElement).dataset.final,
      text: li.querySelector('.text')?.textContent ?? '',
    })),
  );

const transcript = (
  room: string,
  over: { segmentId: string; speaker: 'customer' | 'agent'; text: string; final: boolean },
) => ({
  roomId: room,
  startMs: 0,
  endMs: 500,
  interrupted: false,
  ...over,
});

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-callpage-'));
  const wav = await makeSpeechWav('Hello, can I order a pizza for delivery?', workDir);
  server = await startMediaServer({
    onRequest: pageFiles(await buildClientPage(path.join(workDir, 'client'))),
  });
  caller = await launchCallBrowser({ fakeAudioWav: wav });
}, 120_000);

afterAll(async () => {
  await caller?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('customer call page', () => {
  it('shows partial then final captions of both sides and the agent state as the server relays them', async () => {
    const room = `callpage-${Date.now().toString(36)}-captions`;
    await joinAsCaller(room);

    server.bus.emit('agent.state', { roomId: room, state: 'listening' });
    server.bus.emit(
      'transcript',
      transcript(room, { segmentId: 'c1', speaker: 'customer', text: 'I would', final: false }),
    );
    const partial = await pollUntil(captions, (c) => c.length === 1, {
      timeoutMs: 5_000,
      what: 'the partial caption',
    });
    expect(partial).toEqual([{ speaker: 'customer', final: 'false', text: 'I would' }]);
    expect(await caller.page.textContent('#agent-state')).toBe('listening');

    server.bus.emit(
      'transcript',
      transcript(room, {
        segmentId: 'c1',
        speaker: 'customer',
        text: 'I would like a large pizza',
        final: true,
      }),
    );
    server.bus.emit('agent.state', { roomId: room, state: 'speaking' });
    server.bus.emit(
      'transcript',
      transcript(room, { segmentId: 'a1', speaker: 'agent', text: 'Sure, which toppings?', final: true }),
    );
    // Events for another room never reach this page.
    server.bus.emit(
      'transcript',
      transcript('some-other-room', { segmentId: 'x', speaker: 'agent', text: 'nope', final: true }),
    );
    const settled = await pollUntil(captions, (c) => c.length === 2, {
      timeoutMs: 5_000,
      what: 'both final captions',
    });
    expect(settled).toEqual([
      { speaker: 'customer', final: 'true', text: 'I would like a large pizza' },
      { speaker: 'agent', final: 'true', text: 'Sure, which toppings?' },
    ]);
    await pollUntil(
      async () => caller.page.getAttribute('#agent-state', 'data-state'),
      (state) => state === 'speaking',
      { timeoutMs: 5_000, what: 'the agent state to read speaking' },
    );
    await caller.page.click('#leave');
  }, 60_000);

  it("marks the caller as speaking from the server's active-speaker detection of their real audio", async () => {
    const room = `callpage-${Date.now().toString(36)}-speaker`;
    await joinAsCaller(room);
    const speaking = await pollUntil(
      () => caller.page.locator('#participants li[data-speaking="true"]').allTextContents(),
      (items) => items.length === 1,
      { timeoutMs: 10_000, what: 'the caller to be marked as speaking' },
    );
    expect(speaking).toEqual(['You']);
    await caller.page.click('#leave');
  }, 60_000);

  it('pauses the caller producer on the server when muted and resumes it when unmuted', async () => {
    const room = `callpage-${Date.now().toString(36)}-mute`;
    await joinAsCaller(room);
    const producer = () => server.registry.get(room)?.peers[0]?.producers[0];
    await pollUntil(
      async () => producer(),
      (p) => p !== undefined,
      { timeoutMs: 5_000, what: 'the producer' },
    );
    expect(producer()?.paused).toBe(false);

    await caller.page.click('#mute');
    await caller.page.waitForSelector('#mute[aria-pressed="true"]', { timeout: 5_000 });
    expect(await caller.page.textContent('#mute')).toBe('Unmute');
    await pollUntil(
      async () => producer()?.paused,
      (paused) => paused === true,
      {
        timeoutMs: 5_000,
        what: 'the server to pause the producer',
      },
    );

    await caller.page.click('#mute');
    await caller.page.waitForSelector('#mute[aria-pressed="false"]', { timeout: 5_000 });
    expect(await caller.page.textContent('#mute')).toBe('Mute');
    await pollUntil(
      async () => producer()?.paused,
      (paused) => paused === false,
      {
        timeoutMs: 5_000,
        what: 'the server to resume the producer',
      },
    );
    await caller.page.click('#leave');
  }, 60_000);
});
