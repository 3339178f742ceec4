/**
 * The SFU load test's speaker stream: the load test's caller utterances (flite) with a pause after each, encoded once
 * with libopus as a browser sends voice (20 ms frames, 32 kbps, in-band FEC), so the SFU forwards real Opus packets
 * of real sizes. Each room replays it from its own offset.
 */
import { FRAME_SAMPLES_48K, OpusEncoderStream } from '../../agent-worker/src/audio/OpusCodec.ts';
import { callerSpeech } from './agentLoad.ts';

const PAUSE_FRAMES = 25;

export async function speechOpusFrames(): Promise<Buffer[]> {
  const encoder = new OpusEncoderStream();
  const frames: Buffer[] = [];
  const silence = new Int16Array(FRAME_SAMPLES_48K);
  for (const utterance of await callerSpeech()) {
    for (let at = 0; at + FRAME_SAMPLES_48K <= utterance.length; at += FRAME_SAMPLES_48K)
      frames.push(Buffer.from(encoder.encode(utterance.subarray(at, at + FRAME_SAMPLES_48K))));
    for (let i = 0; i < PAUSE_FRAMES; i++) frames.push(Buffer.from(encoder.encode(silence)));
  }
  return frames;
}
