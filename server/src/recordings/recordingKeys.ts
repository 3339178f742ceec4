import type { RecordingKey } from './recordingCipher.ts';

/** The recording keys of this deployment: all of them decrypt, `current` encrypts new recordings. */
export interface RecordingKeyring {
  current: RecordingKey;
  get(id: string): Buffer | undefined;
}

export interface KeyProblem {
  variable: 'RECORDING_KEYS' | 'RECORDING_KEY_ID';
  message: string;
}

/**
 * Parses RECORDING_KEYS ("k1:<base64 of 32 bytes>,k2:...") and RECORDING_KEY_ID (default: the last key listed).
 * Returns the problems instead of a keyring when anything is wrong, each naming its variable.
 */
export function parseRecordingKeys(
  keys: string,
  currentId: string | undefined,
): { keyring: RecordingKeyring } | { problems: KeyProblem[] } {
  const problems: KeyProblem[] = [];
  const byId = new Map<string, Buffer>();
  for (const [n, entry] of keys
    .split(',')
    .map((e) => e.trim())
    .entries()) {
    const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    const key = match ? Buffer.from(match[2] as string, 'base64') : undefined;
    if (!match || key?.length !== 32) {
      problems.push({
        variable: 'RECORDING_KEYS',
        message: `entry ${n + 1} must be <id>:<base64 of 32 random bytes> (make one with: openssl rand -base64 32)`,
      });
    } else if (byId.has(match[1] as string)) {
      problems.push({ variable: 'RECORDING_KEYS', message: `key id ${match[1]} is listed twice` });
    } else {
      byId.set(match[1] as string, key);
    }
  }
  const id = currentId ?? [...byId.keys()].at(-1);
  const current = id === undefined ? undefined : byId.get(id);
  if (problems.length === 0 && (id === undefined || !current)) {
    problems.push({
      variable: 'RECORDING_KEY_ID',
      message: `must be one of the ids in RECORDING_KEYS (${[...byId.keys()].join(', ')})`,
    });
  }
  if (problems.length > 0 || id === undefined || !current) return { problems };
  return { keyring: { current: { id, key: current }, get: (keyId) => byId.get(keyId) } };
}
