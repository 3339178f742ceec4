import dgram from 'node:dgram';
import { Decoder, Encoder } from '@evan/opus';

/** Test tools: real Opus RTP over loopback UDP. */

export const OPUS_FRAME_SAMPLES = 960; // 20 ms at 48 kHz

export interface RtpPacket {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
  /** ssrc-audio-level (RFC 6464) in a one-byte header extension: its id and the level in -dBov (0 loud..127). */
  audioLevel?: { extensionId: number; level: number };
}

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

export function buildRtp(p: RtpPacket): Buffer {
  const header = Buffer.alloc(p.audioLevel ? 20 : 12);
  header[0] = p.audioLevel ? 0x90 : 0x80;
  if (p.audioLevel) {
    header.writeUInt16BE(0xbede, 12);
    header.writeUInt16BE(1, 14);
    header[16] = (p.audioLevel.extensionId << 4) | 0; // one byte of data
    header[17] = 0x80 | (p.audioLevel.level & 0x7f); // voice activity + level
  }
  header[1] = p.payloadType & 0x7f;
  header.writeUInt16BE(p.sequenceNumber & 0xffff, 2);
  header.writeUInt32BE(p.timestamp >>> 0, 4);
  header.writeUInt32BE(p.ssrc >>> 0, 8);
  return Buffer.concat([header, p.payload]);
}

/** Parses an RTP packet; undefined for RTCP (muxed) or anything that is not RTP version 2. */
export function parseRtp(msg: Buffer): RtpPacket | undefined {
  if (msg.length < 12 || msg.readUInt8(0) >> 6 !== 2) return undefined;
  const pt = msg.readUInt8(1) & 0x7f;
  if (msg.readUInt8(1) >= 192 && msg.readUInt8(1) <= 223) return undefined;
  const csrcCount = msg.readUInt8(0) & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (msg.readUInt8(0) & 0x10) offset += 4 + 4 * msg.readUInt16BE(offset + 2);
  let end = msg.length;
  if (msg.readUInt8(0) & 0x20) end -= msg.readUInt8(msg.length - 1);
  return {
    payloadType: pt,
    sequenceNumber: msg.readUInt16BE(2),
    timestamp: msg.readUInt32BE(4),
    ssrc: msg.readUInt32BE(8),
    payload: msg.subarray(offset, end),
  };
}

export async function bindUdp(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return socket;
}

/** Collects RTP packets arriving on a socket, by SSRC. */
export function collectRtp(socket: dgram.Socket): Map<number, RtpPacket[]> {
  const bySsrc = new Map<number, RtpPacket[]>();
  socket.on('message', (msg) => {
    const packet = parseRtp(msg);
    if (!packet) return;
    const list = bySsrc.get(packet.ssrc) ?? [];
    list.push({ ...packet, payload: Buffer.from(packet.payload) });
    bySsrc.set(packet.ssrc, list);
  });
  return bySsrc;
}

/** `count` 20 ms Opus frames of a stereo sine tone at `frequencyHz`. */
export function opusSineFrames(frequencyHz: number, count: number): Buffer[] {
  const encoder = new Encoder({ channels: 2, sample_rate: 48_000, application: 'audio' });
  const frames: Buffer[] = [];
  for (let f = 0; f < count; f++) {
    const pcm = new Int16Array(OPUS_FRAME_SAMPLES * 2);
    for (let i = 0; i < OPUS_FRAME_SAMPLES; i++) {
      const t = (f * OPUS_FRAME_SAMPLES + i) / 48_000;
      const v = Math.round(Math.sin(2 * Math.PI * frequencyHz * t) * 12_000);
      pcm[2 * i] = v;
      pcm[2 * i + 1] = v;
    }
    frames.push(Buffer.from(encoder.encode(pcm)));
  }
  return frames;
}

/** Sends Opus frames as RTP, paced at `intervalMs`, from `socket` to ip:port. */
export async function sendOpusRtp(
  socket: dgram.Socket,
  target: { ip: string; port: number },
  frames: Buffer[],
  header: { ssrc: number; payloadType: number },
  intervalMs = 5,
): Promise<void> {
  for (const [i, payload] of frames.entries()) {
    const packet = buildRtp({
      payloadType: header.payloadType,
      sequenceNumber: 1000 + i,
      timestamp: i * OPUS_FRAME_SAMPLES,
      ssrc: header.ssrc,
      payload,
    });
    socket.send(packet, target.port, target.ip);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Decodes Opus payloads and estimates the dominant frequency by zero crossings of the left channel
 * (good enough to tell apart the sine tones the tests send).
 */
export function decodedToneHz(payloads: Buffer[]): { frequencyHz: number; rms: number } {
  const decoder = new Decoder({ channels: 2, sample_rate: 48_000 });
  const left: number[] = [];
  for (const payload of payloads) {
    const pcm = decoder.decode(payload);
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
    for (let i = 0; i < samples.length; i += 2) left.push(samples[i] ?? 0);
  }
  // Skip the codec's warm-up.
  const steady = left.slice(4 * OPUS_FRAME_SAMPLES);
  let crossings = 0;
  let sumSquares = 0;
  for (let i = 1; i < steady.length; i++) {
    if (
      ((steady[i - 1] ?? 0) < 0 && (steady[i] ?? 0) >= 0) ||
      ((steady[i - 1] ?? 0) >= 0 && (steady[i] ?? 0) < 0)
    )
      crossings++;
    sumSquares += (steady[i] ?? 0) * (steady[i] ?? 0);
  }
  const seconds = steady.length / 48_000;
  return { frequencyHz: crossings / 2 / seconds, rms: Math.sqrt(sumSquares / Math.max(1, steady.length)) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `predicate` holds, polling; throws with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
