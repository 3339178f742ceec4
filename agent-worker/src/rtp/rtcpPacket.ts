/**
 * The little RTCP (RFC 3550) the agent needs: validating a compound packet arriving on the muxed port, and building
 * a sender report (so the SFU can map RTP time to wall-clock) and a BYE when a session ends.
 */

export interface RtcpHeader {
  packetType: number;
  /** SSRC of the sender of this RTCP packet. */
  ssrc: number;
  byteLength: number;
}

export const RTCP_SR = 200;
export const RTCP_BYE = 203;

/** Splits a compound RTCP datagram into packet headers; null when any length or version is wrong. */
export function parseRtcpCompound(data: Uint8Array): RtcpHeader[] | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const headers: RtcpHeader[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + 8 > data.length) return null;
    if ((data[offset] as number) >> 6 !== 2) return null;
    const byteLength = (view.getUint16(offset + 2) + 1) * 4;
    if (offset + byteLength > data.length) return null;
    headers.push({ packetType: data[offset + 1] as number, ssrc: view.getUint32(offset + 4), byteLength });
    offset += byteLength;
  }
  return headers.length > 0 ? headers : null;
}

/** Seconds between 1900 (NTP epoch) and 1970 (Unix epoch). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export interface SenderReportInit {
  ssrc: number;
  /** Wall-clock time of `rtpTimestamp`, in Unix milliseconds. */
  wallClockMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export function buildSenderReport(init: SenderReportInit): Buffer {
  const packet = Buffer.alloc(28);
  packet[0] = 0x80;
  packet[1] = RTCP_SR;
  packet.writeUInt16BE(28 / 4 - 1, 2);
  packet.writeUInt32BE(init.ssrc >>> 0, 4);
  const seconds = Math.floor(init.wallClockMs / 1000);
  const fraction = Math.floor(((init.wallClockMs % 1000) / 1000) * 2 ** 32);
  packet.writeUInt32BE((seconds + NTP_UNIX_OFFSET) >>> 0, 8);
  packet.writeUInt32BE(fraction >>> 0, 12);
  packet.writeUInt32BE(init.rtpTimestamp >>> 0, 16);
  packet.writeUInt32BE(init.packetCount >>> 0, 20);
  packet.writeUInt32BE(init.octetCount >>> 0, 24);
  return packet;
}

export function buildBye(ssrc: number): Buffer {
  const packet = Buffer.alloc(8);
  packet[0] = 0x81;
  packet[1] = RTCP_BYE;
  packet.writeUInt16BE(1, 2);
  packet.writeUInt32BE(ssrc >>> 0, 4);
  return packet;
}
