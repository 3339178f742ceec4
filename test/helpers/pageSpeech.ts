import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';

/** A WAV of `seconds` of silence (48 kHz mono 16-bit), for a fake microphone that must not speak by itself. */
export async function makeSilenceWav(dir: string, seconds = 2): Promise<string> {
  const out = path.join(dir, 'silence.wav');
  await promisify(execFile)('sox', [
    '-n',
    '-r',
    '48000',
    '-c',
    '1',
    '-b',
    '16',
    out,
    'trim',
    '0',
    String(seconds),
  ]);
  return out;
}

/**
 * Speaks `wav` into the page's call, when the test decides: the page's outgoing audio (every peer connection's audio
 * sender) is switched once to a Web Audio stream, and the WAV plays into it. Chromium's fake microphone loops one
 * file from the start of capture, which cannot say two things at chosen moments; this can. Resolves when the WAV has
 * played; returns its duration in ms.
 */
export async function speakInto(page: Page, wav: string): Promise<number> {
  const base64 = (await readFile(wav)).toString('base64');
  return page.evaluate(async (data) => {
    type Speech = {
      context: AudioContext;
      destination: MediaStreamAudioDestinationNode;
      senders: Set<RTCRtpSender>;
    };
    const w = window as unknown as { __speech?: Speech; __voiceRoomPeerConnections?: RTCPeerConnection[] };
    if (!w.__speech) {
      const context = new AudioContext({ sampleRate: 48_000 });
      w.__speech = { context, destination: context.createMediaStreamDestination(), senders: new Set() };
    }
    const speech = w.__speech;
    await speech.context.resume();
    const [track] = speech.destination.stream.getAudioTracks();
    for (const pc of w.__voiceRoomPeerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      for (const sender of pc.getSenders()) {
        if (sender.track?.kind !== 'audio' || speech.senders.has(sender)) continue;
        await sender.replaceTrack(track ?? null);
        speech.senders.add(sender);
      }
    }
    if (speech.senders.size === 0) throw new Error('the page has no audio sender to speak into');
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const buffer = await speech.context.decodeAudioData(bytes.buffer);
    const source = speech.context.createBufferSource();
    source.buffer = buffer;
    source.connect(speech.destination);
    const ended = new Promise((resolve) => {
      source.onended = resolve;
    });
    source.start();
    await ended;
    return buffer.duration * 1000;
  }, base64);
}
