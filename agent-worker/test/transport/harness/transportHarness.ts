import type { AgentVoiceSource, MediaTransport } from '../../../src/transport/MediaTransport.ts';

/**
 * One MediaTransport implementation set up against a real far end (a UDP peer speaking RTP like mediasoup's
 * PlainTransport, or a real LiveKit room), for the contract tests both implementations must pass.
 */
export interface TransportHarness {
  transport: MediaTransport;
  /** Resolves when the transport emitted 'ready' (listened for from before it could be emitted). */
  ready: Promise<void>;
  /** The customer's audio: 48 kHz mono, sent in real time. */
  customerSays(pcm48k: Int16Array): Promise<void>;
  /** A co-pilot starts whispering (staff-only audio) and says `pcm48k`. */
  staffWhispers(pcm48k: Int16Array): Promise<void>;
  /** The whispering co-pilot's stream goes away. */
  staffLeaves(): Promise<void>;
  /** What the far end received of the agent's voice so far, 48 kHz mono. */
  heardFromAgent(): Int16Array;
  close(): Promise<void>;
}

export type HarnessFactory = (voice: AgentVoiceSource) => Promise<TransportHarness>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `send` with each 20 ms frame of `pcm48k` on a real-time schedule. */
export async function paced(
  pcm48k: Int16Array,
  send: (frame: Int16Array, index: number) => void,
): Promise<void> {
  const t0 = performance.now();
  for (let f = 0; f * 960 < pcm48k.length; f++) {
    await sleep(t0 + f * 20 - performance.now());
    const frame = new Int16Array(960);
    frame.set(pcm48k.subarray(f * 960, (f + 1) * 960));
    send(frame, f);
  }
}

export function concatAll(chunks: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
