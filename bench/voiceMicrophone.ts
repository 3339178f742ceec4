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
  window.__scriptedMicrophone = {
    async say(base64) {
      const { ctx, dest } = await open();
      const bytes = atob(base64);
      const count = bytes.length / 2;
      const buffer = ctx.createBuffer(1, count, 48000);
      const channel = buffer.getChannelData(0);
      for (let i = 0; i < count; i++) {
        const v = bytes.charCodeAt(2 * i) | (bytes.charCodeAt(2 * i + 1) << 8);
        channel[i] = (v >= 32768 ? v - 65536 : v) / 32768;
      }
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

/** Plays 48 kHz mono PCM into the page's microphone; resolves when it has played, with its page-clock span. */
export async function say(page: Page, pcm48k: Int16Array): Promise<{ startT: number; endT: number }> {
  const base64 = Buffer.from(pcm48k.buffer, pcm48k.byteOffset, pcm48k.byteLength).toString('base64');
  return page.evaluate(
    (data) =>
      (
        window as unknown as {
          __scriptedMicrophone: { say(b: string): Promise<{ startT: number; endT: number }> };
        }
      ).__scriptedMicrophone.say(data),
    base64,
  );
}
