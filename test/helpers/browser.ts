/**
 * Real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) with a fake microphone that plays a
 * speech WAV, plus readers of the page's WebRTC inbound audio stats. Every browser gets a fresh user-data-dir.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { step } from './deadline.ts';

const run = promisify(execFile);

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How long one page action (load, click, evaluate, close) may take before a test names it as the hang. */
const PAGE_STEP_MS = 10_000;
const CLOSE_BROWSER_MS = 15_000;

/** Runs one page action (an evaluate, a close) under PAGE_STEP_MS, failing with `what` if it never answers. */
export const inPage = <T>(what: string, run: () => Promise<T>): Promise<T> => step(what, PAGE_STEP_MS, run);

/** Flags measured to work as root on this machine (see ENVIRONMENT.md), plus autoplay for remote audio. */
export function chromiumFlags(fakeAudioWav: string): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${fakeAudioWav}`,
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
  ];
}

/**
 * Synthesizes `text` with espeak-ng (or flite) and converts it with sox to 48 kHz mono 16-bit PCM, the format
 * Chromium's fake capture reads reliably. Chromium loops the file, so a short sentence is a continuous talker.
 */
export async function makeSpeechWav(
  text: string,
  dir: string,
  options: { name?: string; engine?: 'espeak-ng' | 'flite' } = {},
): Promise<string> {
  const name = options.name ?? 'speech';
  const raw = path.join(dir, `${name}.raw.wav`);
  const out = path.join(dir, `${name}.wav`);
  if (options.engine === 'flite') await run('flite', ['-t', text, '-o', raw]);
  else await run('espeak-ng', ['-w', raw, text]);
  await run('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', out]);
  return out;
}

/**
 * Records every RTCPeerConnection and WebSocket the page creates, so tests can read WebRTC stats and cut the
 * signaling connection without reaching into the SDK.
 */
const TRACK_CONNECTIONS = `(() => {
  const track = (name, Original) => {
    const tracked = [];
    window[name] = tracked;
    return class extends Original {
      constructor(...args) { super(...args); tracked.push(this); }
    };
  };
  window.RTCPeerConnection = track('__voiceRoomPeerConnections', window.RTCPeerConnection);
  window.WebSocket = track('__voiceRoomWebSockets', window.WebSocket);
})();`;

export interface CallBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Chromium's console lines (errors included), for failure messages. */
  readonly consoleLines: string[];
  close(): Promise<void>;
}

export async function launchCallBrowser(options: { fakeAudioWav: string }): Promise<CallBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: chromiumFlags(options.fakeAudioWav),
  });
  const consoleLines: string[] = [];
  await context.addInitScript(TRACK_CONNECTIONS);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    consoleLines.push(`${message.type()}: ${message.text()}`);
    if (consoleLines.length > 200) consoleLines.shift();
  });
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    consoleLines,
    async close() {
      // a Chromium that does not close in time is left behind rather than holding the test past its hook timeout
      await step('closing Chromium', CLOSE_BROWSER_MS, () => context.close()).catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface InboundAudioStats {
  /** Sum over every inbound audio RTP stream of every open peer connection. */
  packetsReceived: number;
  bytesReceived: number;
  /** Highest current level (0..1) among those streams; only non-zero while the audio is rendered and not silent. */
  audioLevel: number;
  totalAudioEnergy: number;
  streams: number;
}

/** Reads the page's inbound-rtp audio stats (all open peer connections). */
export function readInboundAudio(page: Page): Promise<InboundAudioStats> {
  return inPage("reading the page's inbound audio stats", () =>
    page.evaluate(async () => {
      const w = window as unknown as { __voiceRoomPeerConnections?: RTCPeerConnection[] };
      const result = { packetsReceived: 0, bytesReceived: 0, audioLevel: 0, totalAudioEnergy: 0, streams: 0 };
      for (const pc of w.__voiceRoomPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((s: Record<string, unknown>) => {
          if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
          result.streams += 1;
          result.packetsReceived += Number(s.packetsReceived ?? 0);
          result.bytesReceived += Number(s.bytesReceived ?? 0);
          result.audioLevel = Math.max(result.audioLevel, Number(s.audioLevel ?? 0));
          result.totalAudioEnergy += Number(s.totalAudioEnergy ?? 0);
        });
      }
      return result;
    }),
  );
}

/** Simulates a network cut of signaling: closes every open WebSocket of the page (socket.io then reconnects). */
export function dropWebSockets(page: Page): Promise<number> {
  return inPage("dropping the page's WebSockets", () =>
    page.evaluate(() => {
      const w = window as unknown as { __voiceRoomWebSockets?: WebSocket[] };
      const open = (w.__voiceRoomWebSockets ?? []).filter((ws) => ws.readyState === WebSocket.OPEN);
      for (const ws of open) ws.close();
      return open.length;
    }),
  );
}

/** The ICE username fragments the remote side (mediasoup) gave each open peer connection; they change on ICE restart. */
export function remoteIceUfrags(page: Page): Promise<string[]> {
  return inPage("reading the page's remote ICE ufrags", () =>
    page.evaluate(() => {
      const w = window as unknown as { __voiceRoomPeerConnections?: RTCPeerConnection[] };
      return (w.__voiceRoomPeerConnections ?? [])
        .filter((pc) => pc.connectionState !== 'closed')
        .map((pc) => /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription?.sdp ?? '')?.[1] ?? '');
    }),
  );
}

/**
 * Polls `read` every `intervalMs` until `accept` holds, then returns the accepted value; past `timeoutMs` throws
 * with the last value seen, so a failing test says how far it got.
 */
export function pollUntil<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  // a step of its own too, so a test body bounded as one step names the wait it was in, between reads as well
  return step(`waiting for ${options.what}`, options.timeoutMs + 2_000, () => poll(read, accept, options));
}

async function poll<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      // a read that hangs (a page.evaluate in a page that stopped answering) ends at the deadline with this wait's name,
      // not as the test's anonymous timeout
      last = await step(
        `a read for ${options.what}`,
        Math.max(0, deadline - performance.now()) + 1_000,
        read,
      );
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const seen = last === undefined ? `error ${String(lastError)}` : JSON.stringify(last);
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}; last seen: ${seen}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
