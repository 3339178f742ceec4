/**
 * A microphone the test drives: the page's getUserMedia returns a WebAudio track, and `say` plays given PCM into
 * it when the test decides (after the agent finished, while it talks...), so a scripted conversation follows the
 * agent instead of a fixed timeline that breaks when the machine is slow.
 */
import type { BrowserContext, Page } from 'playwright-core';

const MICROPHONE_INIT = `(() => {
  let ctx;
  let dest;
  const open = async () => {
    if (!ctx) {
      ctx = new AudioContext({ sampleRate: 48000 });
      dest = ctx.createMediaStreamDestination();
      // a source that never ends: between utterances the track carries silence, as a real microphone does,
      // instead of going quiet (no frames, so no packets, which the agent would see as a stall)
      const floor = ctx.createConstantSource();
      floor.offset.value = 0;
      floor.connect(dest);
      floor.start();
    }
    await ctx.resume();
    return { ctx, dest };
  };
  navigator.mediaDevices.getUserMedia = async () => {
    const { dest } = await open();
    return new MediaStream(dest.stream.getAudioTracks());
  };
  const pcmBuffer = (ctx, base64) => {
    const bytes = atob(base64);
    const count = bytes.length / 2;
    const buffer = ctx.createBuffer(1, count, 48000);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < count; i++) {
      const v = bytes.charCodeAt(2 * i) | (bytes.charCodeAt(2 * i + 1) << 8);
      channel[i] = (v >= 32768 ? v - 65536 : v) / 32768;
    }
    return buffer;
  };
  window.__scriptedMicrophone = {
    async room(base64) {
      const { ctx, dest } = await open();
      const source = ctx.createBufferSource();
      source.buffer = pcmBuffer(ctx, base64);
      source.loop = true;
      source.connect(dest);
      source.start();
    },
    async say(base64) {
      const { ctx, dest } = await open();
      const buffer = pcmBuffer(ctx, base64);
      const count = buffer.length;
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(dest);
      const leadS = 0.05;
      const startT = performance.now() + leadS * 1000;
      const ended = new Promise((resolve) => { source.onended = resolve; });
      source.start(ctx.currentTime + leadS);
      await ended;
      return { startT, endT: startT + count / 48 };
    },
  };
})();`;

/** Call before the page loads: every page of `context` gets the scripted microphone. */
export async function installScriptedMicrophone(context: BrowserContext): Promise<void> {
  await context.addInitScript(MICROPHONE_INIT);
}

const base64Of = (pcm: Int16Array) =>
  Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');

/**
 * Loops 48 kHz mono PCM into the page's microphone under whatever it says, until the page goes: a room's noise
 * that plays through the whole call.
 */
export async function playRoom(page: Page, pcm48k: Int16Array): Promise<void> {
  await page.evaluate(
    (data) =>
      (
        window as unknown as { __scriptedMicrophone: { room(b: string): Promise<void> } }
      ).__scriptedMicrophone.room(data),
    base64Of(pcm48k),
  );
}

/** Plays 48 kHz mono PCM into the page's microphone; resolves when it has played, with its page-clock span. */
export async function say(page: Page, pcm48k: Int16Array): Promise<{ startT: number; endT: number }> {
  return page.evaluate(
    (data) =>
      (
        window as unknown as {
          __scriptedMicrophone: { say(b: string): Promise<{ startT: number; endT: number }> };
        }
      ).__scriptedMicrophone.say(data),
    base64Of(pcm48k),
  );
}
