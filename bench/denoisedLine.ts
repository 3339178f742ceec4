import type { NoiseSuppressor } from '../agent-worker/src/audio/NoiseSuppressor.ts';

/** What the agent's inbound audio hands on per decoded Opus packet: 20 ms at 16 kHz. */
const PACKET_SAMPLES = 320;

/**
 * A caller line at 16 kHz through `suppressor` as the live path would run it: in 20 ms chunks on the call's one
 * stream, with 20 ms of silence after it so that the suppressor's delay does not cut off the line's last sounds.
 */
export function denoisedLine(suppressor: NoiseSuppressor, pcm: Int16Array): Int16Array {
  const input = new Int16Array(pcm.length + PACKET_SAMPLES);
  input.set(pcm);
  const out = new Int16Array(input.length);
  for (let at = 0; at < input.length; at += PACKET_SAMPLES)
    out.set(suppressor.process(input.subarray(at, at + PACKET_SAMPLES)), at);
  return out;
}
