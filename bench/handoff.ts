/**
 * Handoff benchmark: `npm run bench:handoff`. The real server (MariaDB, Redis, mediasoup), a customer in Chromium on
 * the call page, a human agent's console on /console, and an agent worker reduced to its /agents link that streams
 * the AI's voice (a 440 Hz tone as Opus RTP) and, on cue, sends the AI's handoff decision. Per run:
 * - notify_ms: the worker's handoff event sent -> the request pushed to the available agent's console;
 * - takeover_silence_ms: the agent's accept sent -> the last AI audio packet counted by the customer browser's
 *   inbound-rtp stats (polled every 10 ms; the AI keeps sending, the server silences it at the accept).
 * Prints {"n", "notify_ms": {p50, p95, ...}, "takeover_silence_ms": {...}} and writes bench/results/handoff.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentLinkEvents, type SessionMedia } from '@voiceroom/protocol';
import { FRAME_SAMPLES_48K, OpusEncoderStream } from '../agent-worker/src/audio/OpusCodec.ts';
import { buildRtpPacket } from '../agent-worker/src/rtp/rtpPacket.ts';
import { connectConsole, connectScriptedWorker } from '../server/test/console/consoleClients.ts';
import { launchCallBrowser, makeSpeechWav, pollUntil, readInboundAudio } from '../test/helpers/browser.ts';
import { buildClientPage } from '../test/helpers/clientPage.ts';
import { round, spread } from './spread.ts';

const RUNS = Number(process.env.HANDOFF_RUNS ?? 12);
const QUIET_MS = 400;
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'handoff.json');

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const { startSecurityApp } = await import('../test/helpers/securityApp.ts');
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-handoff-'));
  const wav = await makeSpeechWav('Hello, I would like to talk to a person please.', workDir);
  const app = await startSecurityApp({
    clientDir: await buildClientPage(path.join(workDir, 'client')),
    env: { RATE_LIMIT_LOGIN: '0/60', RATE_LIMIT_START_CALL: '0/60' },
  });
  const { token: serviceToken } = await app.server.tokens.issueServiceToken('bench-handoff');
  const worker = await connectScriptedWorker(app.url, serviceToken);
  // The AI's voice: a steady tone, 20 ms Opus frames in real time, from the UDP socket the worker accepted with.
  const encoder = new OpusEncoderStream();
  const tone = new Int16Array(FRAME_SAMPLES_48K);
  const streams = new Map<string, NodeJS.Timeout>();
  worker.socket.on(AgentLinkEvents.media, (media: SessionMedia) => {
    let seq = 0;
    let phase = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < tone.length; i++)
        tone[i] = Math.round(6_000 * Math.sin((2 * Math.PI * 440 * phase++) / 48_000));
      const packet = buildRtpPacket({
        payloadType: media.send.payloadType,
        sequenceNumber: seq & 0xffff,
        timestamp: (seq * FRAME_SAMPLES_48K) >>> 0,
        ssrc: media.send.ssrc,
        payload: encoder.encode(tone),
      });
      seq++;
      worker.udp.send(packet, media.ingest.port, media.ingest.ip);
    }, 20);
    streams.set(media.sessionId, timer);
  });
  worker.socket.on(AgentLinkEvents.stop, ({ sessionId }: { sessionId: string }) => {
    clearInterval(streams.get(sessionId));
    streams.delete(sessionId);
  });
  const agentConsole = await connectConsole(app.url, (await app.login('agent')).accessToken);
  const customer = await launchCallBrowser({ fakeAudioWav: wav });
  const notify: number[] = [];
  const silence: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const res = await app.request('POST', '/api/calls', { body: { displayName: `Bench ${run}` } });
      const call = (await res.json()) as { roomId: string; token: string };
      await customer.page.goto(`${app.url}/?${new URLSearchParams({ token: call.token })}`);
      await customer.page.click('#call');
      // The AI is heard at the customer.
      const first = await pollUntil(
        () => readInboundAudio(customer.page),
        (s) => s.packetsReceived > 20,
        { timeoutMs: 20_000, intervalMs: 50, what: `run ${run}: the AI's audio at the customer` },
      );
      await pollUntil(
        () => readInboundAudio(customer.page),
        (s) => s.packetsReceived > first.packetsReceived + 10,
        { timeoutMs: 5_000, intervalMs: 50, what: `run ${run}: the AI's audio flowing` },
      );

      const requested = agentConsole.of('handoff.requested').length;
      const sent = performance.now();
      worker.handoff(call.roomId, 'caller asked for a human');
      const pushed = await pollUntil(
        async () => agentConsole.of('handoff.requested')[requested],
        (r) => r !== undefined,
        { timeoutMs: 5_000, intervalMs: 1, what: `run ${run}: the handoff request at the console` },
      );
      notify.push((pushed?.at ?? Number.NaN) - sent);

      const accepting = performance.now();
      const accepted = await agentConsole.request('handoff.accept', {
        requestId: pushed?.data.request.requestId,
      });
      if (!accepted.ok) throw new Error(`run ${run}: accept refused: ${accepted.error.code}`);
      let last = (await readInboundAudio(customer.page)).packetsReceived;
      let lastChange = performance.now();
      while (performance.now() - lastChange < QUIET_MS) {
        const now = (await readInboundAudio(customer.page)).packetsReceived;
        if (now !== last) {
          last = now;
          lastChange = performance.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      silence.push(lastChange - accepting);
      process.stderr.write(
        `handoff ${run + 1}/${RUNS}: notify ${round(notify.at(-1) ?? 0)} ms, AI silent ${round(silence.at(-1) ?? 0)} ms after accept\n`,
      );
      await customer.page.click('#leave');
    }
  } finally {
    for (const timer of streams.values()) clearInterval(timer);
    agentConsole.close();
    worker.close();
    await customer.close();
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  }
  const result = {
    n: notify.length,
    notify_ms: spread(notify),
    takeover_silence_ms: spread(silence),
    measured:
      "notify: the worker's handoff event sent on /agents -> handoff.requested received on /console (both clients in " +
      "this process); takeover silence: handoff.accept sent -> last AI audio packet counted by the customer's " +
      'Chromium inbound-rtp stats (10 ms polling; the AI keeps streaming and the server pauses it at the accept)',
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

await main();
