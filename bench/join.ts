/**
 * Join-time benchmark: `npm run bench:join`. For each of N runs a listener browser is in a fresh room, then a second
 * browser gets its token and joins, its microphone saying a sentence that starts right away (leading silence cut);
 * join time = from "token in hand" (the Join click) to that speech first audible in the listener's page (an
 * analyser on the received track read every 10 ms, first window at speech level); beside it, first_packet_ms: to
 * the first remote audio packet counted by the listener's inbound-rtp stats. Both on the listener's page clock.
 * Real mediasoup, real Chromium, real Opus. Prints {"n", "join_ms": {p50, p95, ...}, "first_packet_ms": {...}} and
 * writes bench/results/join.json. Progress goes to stderr.
 * JOIN_BACKEND=livekit: the same on a real livekit-server node (media) with our server for signaling; each page's
 * POST /api/calls is answered with a LiveKit call ticket (the ticket fetch is inside join_ms there, while the
 * mediasoup runs get their token in the URL), written to bench/results/join-livekit.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { liveKitConnectSources } from '../server/src/http/middleware/securityHeaders.ts';
import { type CallBrowser, launchCallBrowser, makeSpeechWav, pollUntil } from '../test/helpers/browser.ts';
import { buildClientPage } from '../test/helpers/clientPage.ts';
import { startLiveKitNode, type TestLiveKit } from '../test/helpers/livekit.ts';
import { round, spread } from './spread.ts';
import { packetArrivals, readAudioProbe, startAudioProbe } from './voiceScenario.ts';
import { firstAudibleOnset } from './voiceScoring.ts';

const RUNS = Number(process.env.JOIN_RUNS ?? 20);
const BACKEND = process.env.JOIN_BACKEND === 'livekit' ? 'livekit' : 'mediasoup';
const RESULTS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'results',
  BACKEND === 'livekit' ? 'join-livekit.json' : 'join.json',
);

async function inCall(browser: CallBrowser): Promise<void> {
  await browser.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}

async function main(): Promise<void> {
  // stdout carries only the result line: keep the server's info logs out of it (set LOG_LEVEL to see them).
  process.env.LOG_LEVEL ??= 'warn';
  const loadBefore = loadavg().map(round);
  const { startTestApp } = await import('../test/helpers/app.ts');
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-join-'));
  const wav = await makeSpeechWav(
    'Hello, I would like to order two large pizzas for delivery, please.',
    workDir,
  );
  // speech from the first frame: the time to audible is the join's, not the recording's leading silence
  await promisify(execFile)('sox', [wav, `${wav}.trimmed.wav`, 'silence', '1', '0.01', '1%']);
  const speech = `${wav}.trimmed.wav`;
  // The real server (database, signaling, mediasoup) without an agent worker: only the two browsers are in the room.
  const livekit =
    BACKEND === 'livekit'
      ? await startLiveKitNode({ port: 7916, rtcPortRange: [53_400, 53_599] })
      : undefined;
  const app = await startTestApp({
    clientDir: await buildClientPage(path.join(workDir, 'client')),
    ...(livekit ? { mediaConnectSources: liveKitConnectSources(livekit.url) } : {}),
  });
  const token = async (room: string, role: 'customer' | 'human_agent', name: string): Promise<string> =>
    (await app.server.tokens.issueRoomToken({ identity: `bench:${name}:${room}`, name, room, role })).token;
  const listener = await launchCallBrowser({ fakeAudioWav: speech });
  const joiner = await launchCallBrowser({ fakeAudioWav: speech });
  /** Opens the call page ready to join `room`: the token in the URL, or on LiveKit a ticket from POST /api/calls. */
  const openCallPage = async (
    browser: CallBrowser,
    room: string,
    role: 'customer' | 'human_agent',
    name: string,
  ): Promise<void> => {
    const roomToken = await token(room, role, name);
    if (!livekit) {
      await browser.page.goto(`${app.url}/?${new URLSearchParams({ token: roomToken })}`);
      return;
    }
    const ticket = {
      roomId: room,
      token: roomToken,
      iceServers: [],
      media: await liveKitMedia(livekit, room, role, name),
    };
    await browser.page.unrouteAll();
    await browser.page.route('**/api/calls', (route) =>
      route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify(ticket) }),
    );
    await browser.page.goto(app.url);
  };
  const audible: number[] = [];
  const firstPacket: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const room = `bench-join-${Date.now().toString(36)}-${run}`;
      await openCallPage(listener, room, 'human_agent', 'Listener');
      await openCallPage(joiner, room, 'customer', 'Caller');
      await listener.page.click('#call');
      await inCall(listener);
      await startAudioProbe(listener.page);
      const start = await listener.page.evaluate(() => performance.now());
      await joiner.page.click('#call');
      const heard = await pollUntil(
        () => readAudioProbe(listener.page),
        // the packet stats refresh every ~50 ms: wait for both figures
        (samples) =>
          firstAudibleOnset(samples, start) !== undefined && packetArrivals(samples).some((t) => t >= start),
        { timeoutMs: 15_000, intervalMs: 50, what: `run ${run}: the joiner audible at the listener` },
      );
      const joinMs = (firstAudibleOnset(heard, start) as number) - start;
      const packetMs = (packetArrivals(heard).find((t) => t >= start) ?? Number.NaN) - start;
      audible.push(joinMs);
      firstPacket.push(packetMs);
      process.stderr.write(
        `join ${run + 1}/${RUNS}: audible ${round(joinMs)} ms, first packet ${round(packetMs)} ms\n`,
      );
      await Promise.all([joiner.page.click('#leave'), listener.page.click('#leave')]);
    }
  } finally {
    await Promise.all([listener.close(), joiner.close()]);
    await app.close();
    await livekit?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
  const result = {
    backend: BACKEND,
    n: audible.length,
    join_ms: spread(audible),
    first_packet_ms: spread(firstPacket),
    measured:
      'Join click with token in hand -> the joiner first audible in the other page (analyser on the received track, 10 ms reads); first_packet_ms: -> first inbound-rtp audio packet there',
    load_average: { before: loadBefore, after: loadavg().map(round) },
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

async function liveKitMedia(
  livekit: TestLiveKit,
  room: string,
  role: 'customer' | 'human_agent',
  name: string,
): Promise<{ backend: 'livekit'; url: string; token: string }> {
  const identity = `${role === 'customer' ? 'customer' : 'staff'}:bench-${name}-${room}`;
  return {
    backend: 'livekit',
    url: livekit.url,
    token: await livekit.token({ room, identity, metadata: { role, name } }),
  };
}

await main();
