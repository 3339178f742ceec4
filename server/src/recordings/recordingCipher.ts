import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { CodedError } from '@voiceroom/protocol';

/**
 * Recordings at rest: AES-256-GCM in authenticated chunks, so a download is decrypted as a stream and no byte is
 * released before its chunk's tag checked. File layout:
 *   "VRR1" | key id length (1 byte) | key id (ASCII) | nonce prefix (8 bytes)
 *   then records: plaintext length (4 bytes, big endian; top bit = last record) | ciphertext | tag (16 bytes)
 * Each record's nonce is the prefix followed by its index (4 bytes); the header, index and last flag are the
 * associated data, so records cannot be reordered, cut off, or moved under another key id.
 */

const MAGIC = Buffer.from('VRR1');
const CHUNK = 64 * 1024;
const TAG = 16;
const LAST = 0x8000_0000;

export interface RecordingKey {
  id: string;
  key: Buffer;
}

export class RecordingCipherError extends CodedError<'recording_corrupt' | 'recording_key_missing'> {
  constructor(code: RecordingCipherError['code'], message: string) {
    super(code, message);
    this.name = 'RecordingCipherError';
  }
}

export function corruptRecording(why: string): RecordingCipherError {
  return new RecordingCipherError(
    'recording_corrupt',
    `The recording cannot be decrypted (${why}): it is damaged or was not written with this key.`,
  );
}

export function missingKey(id: string): RecordingCipherError {
  return new RecordingCipherError(
    'recording_key_missing',
    `The recording is encrypted with key "${id}", which is not in RECORDING_KEYS: add it back to read it.`,
  );
}

/** The header at the start of `data` and its key id; undefined while more bytes are needed. */
export function parseHeader(data: Buffer): { header: Buffer; keyId: string } | undefined {
  if (data.length < 5) return undefined;
  if (!data.subarray(0, 4).equals(MAGIC)) throw corruptRecording('not a VoiceRoom recording');
  const size = 5 + (data[4] as number) + 8;
  if (data.length < size) return undefined;
  return { header: data.subarray(0, size), keyId: data.subarray(5, size - 8).toString('ascii') };
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, 8);
  return n;
}

function aad(header: Buffer, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(5);
  tail.writeUInt32BE(index, 0);
  tail[4] = last ? 1 : 0;
  return Buffer.concat([header, tail]);
}

/** Encrypts a stream under `key`; the key id is written in the header. */
export function encryptStream(key: RecordingKey): Transform {
  const id = Buffer.from(key.id, 'ascii');
  const header = Buffer.concat([MAGIC, Buffer.from([id.length]), id, randomBytes(8)]);
  const prefix = header.subarray(header.length - 8);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  const record = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key.key, nonce(prefix, index));
    cipher.setAAD(aad(header, index, last));
    index++;
    const length = Buffer.alloc(4);
    length.writeUInt32BE((plain.length | (last ? LAST : 0)) >>> 0);
    return Buffer.concat([length, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (!started) {
        started = true;
        this.push(header);
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > CHUNK) {
        const all = Buffer.concat(pending);
        let offset = 0;
        // Keep at least one byte back: the last record is written on flush.
        for (; all.length - offset > CHUNK; offset += CHUNK)
          this.push(record(all.subarray(offset, offset + CHUNK), false));
        pending = [all.subarray(offset)];
        pendingBytes = all.length - offset;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(header);
      this.push(record(Buffer.concat(pending), true));
      done();
    },
  });
}

/** Decrypts what encryptStream wrote; fails with recording_corrupt on any tampering or truncation. */
export function decryptStream(keyFor: (id: string) => Buffer | undefined): Transform {
  let buffer: Buffer = Buffer.alloc(0);
  let header: Buffer | undefined;
  let key: Buffer | undefined;
  let index = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      try {
        if (!header) {
          const parsed = parseHeader(buffer);
          if (!parsed) return done();
          header = parsed.header;
          key = keyFor(parsed.keyId);
          if (!key) throw missingKey(parsed.keyId);
          buffer = buffer.subarray(header.length);
        }
        while (buffer.length >= 4) {
          if (ended) throw corruptRecording('data after the last record');
          const word = buffer.readUInt32BE(0);
          const length = word & ~LAST;
          const last = (word & LAST) !== 0;
          if (length > CHUNK) throw corruptRecording('record too long');
          if (buffer.length < 4 + length + TAG) break;
          const decipher = createDecipheriv(
            'aes-256-gcm',
            key as Buffer,
            nonce(header.subarray(header.length - 8), index),
          );
          decipher.setAAD(aad(header, index, last));
          decipher.setAuthTag(buffer.subarray(4 + length, 4 + length + TAG));
          let plain: Buffer;
          try {
            plain = Buffer.concat([decipher.update(buffer.subarray(4, 4 + length)), decipher.final()]);
          } catch {
            throw corruptRecording('authentication failed');
          }
          index++;
          ended = last;
          buffer = buffer.subarray(4 + length + TAG);
          if (plain.length > 0) this.push(plain);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      done(ended && buffer.length === 0 ? undefined : corruptRecording('it ends early'));
    },
  });
}
