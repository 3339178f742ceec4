import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CodedError } from '@voiceroom/protocol';
import {
  corruptRecording,
  decryptStream,
  encryptStream,
  missingKey,
  parseHeader,
} from './recordingCipher.ts';
import type { RecordingKeyring } from './recordingKeys.ts';

const SUFFIX = '.ogg.enc';
const CALL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class RecordingTooLargeError extends CodedError<'recording_too_large'> {
  constructor(limit: number) {
    super('recording_too_large', `A recording may be at most ${limit} bytes.`);
    this.name = 'RecordingTooLargeError';
  }
}

export interface RecordingStoreOptions {
  /** Where the encrypted files live (RECORDINGS_DIR). */
  dir: string;
  keyring: RecordingKeyring;
  /** Largest recording accepted (default 256 MiB, about 20 hours of the worker's 24 kbps Opus). */
  maxBytes?: number;
}

/**
 * Call recordings on disk, one encrypted file per call (`<call id>.ogg.enc`), each under the key that was current
 * when it was written (its id is in the file's header, see recordingCipher.ts). Writes go to a temporary file that
 * is renamed into place, so a reader never sees half a recording.
 */
export class RecordingStore {
  readonly #dir: string;
  readonly #keyring: RecordingKeyring;
  readonly #maxBytes: number;

  constructor(options: RecordingStoreOptions) {
    this.#dir = options.dir;
    this.#keyring = options.keyring;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  /** Encrypts `source` (Ogg Opus) as the recording of `callId`, replacing any earlier one; returns its size. */
  async save(callId: string, source: Readable): Promise<number> {
    const file = this.#file(callId);
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    let bytes = 0;
    const limit = this.#maxBytes;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(bytes > limit ? new RecordingTooLargeError(limit) : undefined, chunk);
      },
    });
    try {
      await pipeline(
        source,
        count,
        encryptStream(this.#keyring.current),
        createWriteStream(temporary, { mode: 0o600 }),
      );
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return bytes;
  }

  async has(callId: string): Promise<boolean> {
    try {
      return (await stat(this.#file(callId))).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Checks, before anything is sent, that the recording's key is configured: throws recording_key_missing (or
   * recording_corrupt for a file that is no recording at all).
   */
  async checkKey(callId: string): Promise<void> {
    const file = await open(this.#file(callId));
    try {
      const head = Buffer.alloc(64);
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      const parsed = parseHeader(head.subarray(0, bytesRead));
      if (!parsed) throw corruptRecording('no header');
      if (!this.#keyring.get(parsed.keyId)) throw missingKey(parsed.keyId);
    } finally {
      await file.close();
    }
  }

  /** The decrypted recording as a stream; it errors (recording_corrupt) at the first chunk that fails its tag. */
  open(callId: string): Readable {
    return createReadStream(this.#file(callId)).pipe(decryptStream((id) => this.#keyring.get(id)));
  }

  /** Call ids that have a recording. */
  async callIds(): Promise<string[]> {
    try {
      // Only our own files: temporary files and anything else in the folder are not recordings.
      return (await readdir(this.#dir))
        .filter((f) => f.endsWith(SUFFIX))
        .map((f) => f.slice(0, -SUFFIX.length))
        .filter((id) => CALL_ID.test(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async delete(callId: string): Promise<void> {
    await rm(this.#file(callId), { force: true });
  }

  #file(callId: string): string {
    if (!CALL_ID.test(callId)) throw new RangeError(`not a call id: ${callId}`);
    return path.join(this.#dir, `${callId}${SUFFIX}`);
  }
}
