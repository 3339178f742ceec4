import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { decryptStream, encryptStream, type RecordingKey } from '../../src/recordings/recordingCipher.ts';
import { parseRecordingKeys } from '../../src/recordings/recordingKeys.ts';

const k1: RecordingKey = { id: 'k1', key: randomBytes(32) };
const k2: RecordingKey = { id: 'k2', key: randomBytes(32) };

async function encrypt(data: Buffer, key: RecordingKey, pieces = 7): Promise<Buffer> {
  const size = Math.ceil(data.length / pieces) || 1;
  const chunks = Array.from({ length: pieces }, (_, i) => data.subarray(i * size, (i + 1) * size));
  return buffer(Readable.from(chunks).pipe(encryptStream(key)));
}

function decrypt(file: Buffer, keys: RecordingKey[]): Promise<Buffer> {
  return buffer(
    Readable.from([file.subarray(0, 100), file.subarray(100)]).pipe(
      decryptStream((id) => keys.find((k) => k.id === id)?.key),
    ),
  );
}

describe('recording encryption', () => {
  it('round-trips a recording of several chunks, and an empty one, without plaintext at rest', async () => {
    const audio = Buffer.concat([Buffer.from('OggS'), randomBytes(300_000)]);
    const file = await encrypt(audio, k1);
    expect(file.includes(audio.subarray(0, 64))).toBe(false);
    expect(await decrypt(file, [k1])).toEqual(audio);
    expect(await decrypt(await encrypt(Buffer.alloc(0), k1, 1), [k1])).toEqual(Buffer.alloc(0));
  });

  it('cannot be read with another key under the same id: the authentication tag fails', async () => {
    const file = await encrypt(randomBytes(1000), k1);
    await expect(decrypt(file, [{ id: 'k1', key: randomBytes(32) }])).rejects.toMatchObject({
      code: 'recording_corrupt',
      message: expect.stringMatching(/authentication failed/),
    });
  });

  it('names the missing key when the key id is not configured', async () => {
    const file = await encrypt(randomBytes(1000), k1);
    await expect(decrypt(file, [k2])).rejects.toMatchObject({
      code: 'recording_key_missing',
      message: expect.stringMatching(/"k1".*RECORDING_KEYS/),
    });
  });

  it('refuses a tampered byte, a truncated file and a swapped key id', async () => {
    const file = await encrypt(randomBytes(200_000), k1);
    const flipped = Buffer.from(file);
    flipped[flipped.length - 40] = (flipped.at(-40) as number) ^ 1;
    await expect(decrypt(flipped, [k1])).rejects.toMatchObject({ code: 'recording_corrupt' });
    // Cut after the first whole record: what is left authenticates, but the last record is missing.
    const header = 4 + 1 + 'k1'.length + 8;
    await expect(decrypt(file.subarray(0, header + 4 + 65_536 + 16), [k1])).rejects.toThrow(/ends early/);
    const relabelled = Buffer.from(file);
    relabelled.write('k2', 5, 'ascii');
    await expect(decrypt(relabelled, [k1, { id: 'k2', key: k1.key }])).rejects.toMatchObject({
      code: 'recording_corrupt',
    });
  });

  it('keeps reading recordings of a retired key after rotation', async () => {
    const old = await encrypt(Buffer.from('before rotation'), k1);
    const parsed = parseRecordingKeys(
      `k1:${k1.key.toString('base64')},k2:${k2.key.toString('base64')}`,
      'k2',
    );
    if (!('keyring' in parsed)) throw new Error('keys did not parse');
    expect(parsed.keyring.current.id).toBe('k2');
    const fresh = await encrypt(Buffer.from('after rotation'), parsed.keyring.current);
    const keyring = [k1, k2];
    expect((await decrypt(old, keyring)).toString()).toBe('before rotation');
    expect((await decrypt(fresh, keyring)).toString()).toBe('after rotation');
  });
});

describe('RECORDING_KEYS', () => {
  it('takes the last key as current unless RECORDING_KEY_ID names one', () => {
    const keys = `a:${k1.key.toString('base64')}, b:${k2.key.toString('base64')}`;
    expect(parseRecordingKeys(keys, undefined)).toMatchObject({ keyring: { current: { id: 'b' } } });
    expect(parseRecordingKeys(keys, 'a')).toMatchObject({ keyring: { current: { id: 'a' } } });
  });

  it('names each problem: short keys, duplicate ids, an unknown current id', () => {
    const good = k1.key.toString('base64');
    expect(parseRecordingKeys(`k1:${randomBytes(16).toString('base64')}`, undefined)).toEqual({
      problems: [{ variable: 'RECORDING_KEYS', message: expect.stringMatching(/32 random bytes/) }],
    });
    expect(parseRecordingKeys(`k1:${good},k1:${good}`, undefined)).toEqual({
      problems: [{ variable: 'RECORDING_KEYS', message: 'key id k1 is listed twice' }],
    });
    expect(parseRecordingKeys(`k1:${good}`, 'k9')).toEqual({
      problems: [{ variable: 'RECORDING_KEY_ID', message: expect.stringMatching(/one of the ids.*k1/) }],
    });
  });
});
