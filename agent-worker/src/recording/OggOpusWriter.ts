/**
 * A minimal Ogg Opus muxer (RFC 7845): one mono logical stream, the identification and comment headers on their own
 * pages, then audio pages of up to a second of 20 ms packets each. Granule positions count 48 kHz samples.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x8000_0000 ? (r << 1) ^ 0x04c1_1db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial value 0). */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc;
}

const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
/** 20 ms at 48 kHz. */
const PACKET_SAMPLES = 960;
const PACKETS_PER_PAGE = 50;
/** libopus's encoder delay at 48 kHz for the voip application: samples the player drops at the start. */
export const OPUS_PRE_SKIP = 312;

export interface OggOpusWriterOptions {
  /** Rate of the audio before encoding (informational, OpusHead's input sample rate). */
  inputSampleRate: number;
  serial?: number;
  vendor?: string;
}

export class OggOpusWriter {
  readonly #serial: number;
  readonly #pages: Uint8Array[] = [];
  #sequence = 0;
  #granule = 0;
  #pending: Uint8Array[] = [];
  #finished = false;

  constructor(options: OggOpusWriterOptions) {
    this.#serial = (options.serial ?? Math.floor(Math.random() * 0x1_0000_0000)) >>> 0;
    const head = new Uint8Array(19);
    const view = new DataView(head.buffer);
    head.set(new TextEncoder().encode('OpusHead'));
    head[8] = 1; // version
    head[9] = 1; // channels
    view.setUint16(10, OPUS_PRE_SKIP, true);
    view.setUint32(12, options.inputSampleRate, true);
    this.#page([head], 0, FLAG_BOS);
    const vendor = new TextEncoder().encode(options.vendor ?? 'voiceroom');
    const tags = new Uint8Array(8 + 4 + vendor.length + 4);
    tags.set(new TextEncoder().encode('OpusTags'));
    new DataView(tags.buffer).setUint32(8, vendor.length, true);
    tags.set(vendor, 12);
    this.#page([tags], 0, 0);
  }

  /** Samples (48 kHz) written so far, pre-skip included. */
  get granule(): number {
    return this.#granule;
  }

  /** One 20 ms Opus packet. */
  write(packet: Uint8Array): void {
    if (this.#finished) throw new Error('the Ogg stream is finished');
    this.#pending.push(packet);
    this.#granule += PACKET_SAMPLES;
    if (this.#pending.length >= PACKETS_PER_PAGE) this.#flush(0);
  }

  /** Ends the stream (the last page carries the end-of-stream flag) and returns the whole file. */
  finish(): Uint8Array {
    if (!this.#finished) {
      this.#finished = true;
      this.#flush(FLAG_EOS);
    }
    return Buffer.concat(this.#pages);
  }

  #flush(flags: number): void {
    const packets = this.#pending;
    this.#pending = [];
    this.#page(packets, this.#granule, flags);
  }

  #page(packets: Uint8Array[], granule: number, flags: number): void {
    const lacing: number[] = [];
    for (const packet of packets) {
      for (let left = packet.length; ; left -= 255) {
        lacing.push(Math.min(255, left));
        if (left < 255) break;
      }
    }
    if (lacing.length > 255) throw new RangeError('too many Opus packets for one Ogg page');
    const bodyLength = packets.reduce((n, p) => n + p.length, 0);
    const page = new Uint8Array(27 + lacing.length + bodyLength);
    const view = new DataView(page.buffer);
    page.set(new TextEncoder().encode('OggS'));
    page[5] = flags;
    view.setBigUint64(6, BigInt(granule), true);
    view.setUint32(14, this.#serial, true);
    view.setUint32(18, this.#sequence++, true);
    page[26] = lacing.length;
    page.set(lacing, 27);
    let offset = 27 + lacing.length;
    for (const packet of packets) {
      page.set(packet, offset);
      offset += packet.length;
    }
    view.setUint32(22, oggCrc(page), true);
    this.#pages.push(page);
  }
}

/** The Opus packets of an Ogg Opus file (headers skipped), checking each page's CRC; for tests and tools. */
export function readOggOpusPackets(file: Uint8Array): {
  packets: Uint8Array[];
  preSkip: number;
  granule: number;
} {
  const packets: Uint8Array[] = [];
  let partial: Uint8Array[] = [];
  let preSkip = 0;
  let granule = 0;
  let index = 0;
  for (let offset = 0; offset < file.length; ) {
    const view = new DataView(file.buffer, file.byteOffset + offset);
    if (new TextDecoder().decode(file.subarray(offset, offset + 4)) !== 'OggS')
      throw new Error('not an Ogg page');
    const segments = file[offset + 26] as number;
    const lacing = file.subarray(offset + 27, offset + 27 + segments);
    const length = 27 + segments + lacing.reduce((n, l) => n + l, 0);
    const page = file.slice(offset, offset + length);
    const stored = view.getUint32(22, true);
    page.fill(0, 22, 26);
    if (oggCrc(page) !== stored) throw new Error(`Ogg page ${index} fails its CRC`);
    granule = Number(view.getBigUint64(6, true));
    let at = offset + 27 + segments;
    for (const l of lacing) {
      partial.push(file.subarray(at, at + l));
      at += l;
      if (l < 255) {
        const packet = Buffer.concat(partial);
        partial = [];
        if (index === 0) preSkip = new DataView(packet.buffer, packet.byteOffset).getUint16(10, true);
        else if (index > 1) packets.push(packet);
        index++;
      }
    }
    offset += length;
  }
  return { packets, preSkip, granule };
}
