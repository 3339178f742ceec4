/**
 * RTP (RFC 3550) packet parsing and building. Pure functions over bytes: parsing never throws, it returns a
 * reason code so the media loop can count and drop malformed input.
 */

export interface RtpPacket {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  csrcs: number[];
  /** RFC 8285 extension block (profile + raw data), when the X bit is set. */
  extension: { profile: number; data: Uint8Array } | null;
  payload: Uint8Array;
}

export type RtpParseError =
  | 'too_short'
  | 'bad_version'
  | 'csrc_overflow'
  | 'extension_overflow'
  | 'bad_padding'
  | 'empty_payload'
  | 'rtcp';

export type RtpParseResult = { ok: true; packet: RtpPacket } | { ok: false; reason: RtpParseError };

const FIXED_HEADER = 12;
/** Maximum size of one datagram we accept (Ethernet MTU leaves room for this; larger is not RTP from mediasoup). */
export const MAX_RTP_PACKET = 1500;

/** RFC 5761 demultiplexing: the second byte of RTCP is a packet type 192..223 (with the marker bit folded in). */
export function isRtcp(data: Uint8Array): boolean {
  if (data.length < 2) return false;
  const pt = data[1] as number;
  return pt >= 192 && pt <= 223;
}

export function parseRtpPacket(data: Uint8Array): RtpParseResult {
  if (data.length < FIXED_HEADER || data.length > MAX_RTP_PACKET) return { ok: false, reason: 'too_short' };
  const b0 = data[0] as number;
  if (b0 >> 6 !== 2) return { ok: false, reason: 'bad_version' };
  if (isRtcp(data)) return { ok: false, reason: 'rtcp' };

  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const padding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const b1 = data[1] as number;

  let offset = FIXED_HEADER + csrcCount * 4;
  if (offset > data.length) return { ok: false, reason: 'csrc_overflow' };
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(FIXED_HEADER + i * 4));

  let extension: RtpPacket['extension'] = null;
  if (hasExtension) {
    if (offset + 4 > data.length) return { ok: false, reason: 'extension_overflow' };
    const profile = view.getUint16(offset);
    const length = view.getUint16(offset + 2) * 4;
    const start = offset + 4;
    if (start + length > data.length) return { ok: false, reason: 'extension_overflow' };
    extension = { profile, data: data.subarray(start, start + length) };
    offset = start + length;
  }

  let end = data.length;
  if (padding) {
    const padLength = data[data.length - 1] as number;
    if (padLength === 0 || offset + padLength > end) return { ok: false, reason: 'bad_padding' };
    end -= padLength;
  }
  if (end <= offset) return { ok: false, reason: 'empty_payload' };

  return {
    ok: true,
    packet: {
      payloadType: b1 & 0x7f,
      marker: (b1 & 0x80) !== 0,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      payload: data.subarray(offset, end),
    },
  };
}

export interface RtpPacketInit {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean;
  payload: Uint8Array;
}

/** Builds a plain RTP packet (no CSRCs, no extension, no padding), the form the agent sends. */
export function buildRtpPacket(init: RtpPacketInit): Buffer {
  if (!Number.isInteger(init.payloadType) || init.payloadType < 0 || init.payloadType > 127) {
    throw new RangeError(`payload type ${init.payloadType} is not in 0..127`);
  }
  const packet = Buffer.allocUnsafe(FIXED_HEADER + init.payload.length);
  packet[0] = 0x80;
  packet[1] = (init.marker ? 0x80 : 0) | init.payloadType;
  packet.writeUInt16BE(init.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(init.timestamp >>> 0, 4);
  packet.writeUInt32BE(init.ssrc >>> 0, 8);
  packet.set(init.payload, FIXED_HEADER);
  return packet;
}
