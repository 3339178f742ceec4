/**
 * Recordings through the API (real MariaDB, Redis, the server's routers): an agent worker's upload is stored
 * encrypted, supervisors and admins download it decrypted and audit-logged, nobody else can, and the retention sweep
 * deletes it with its call.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../agent-worker/src/audio/clock.ts';
import { CallAudioRecorder } from '../../../agent-worker/src/recording/CallAudioRecorder.ts';
import { amplitude, decodeRecording } from '../../../agent-worker/test/recording/decodeRecording.ts';
import { parseRecordingKeys } from '../../src/recordings/recordingKeys.ts';
import { type ApiHarness, startApiHarness } from '../api/apiHarness.ts';

let h: ApiHarness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recordings-'));
  const parsed = parseRecordingKeys(`k1:${randomBytes(32).toString('base64')}`, undefined);
  if (!('keyring' in parsed)) throw new Error('test key did not parse');
  h = await startApiHarness({ recordings: { dir, keyring: parsed.keyring } });
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

function tone(frequency: number, samples: number, start: number): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    pcm[i] = Math.round(6000 * Math.sin((2 * Math.PI * frequency * (start + i)) / 16_000));
  return pcm;
}

/** Ten seconds of call as the worker records it: the caller (440 Hz) for 4 s, then the agent (880 Hz) for 4 s. */
function tenSecondCall(): Uint8Array {
  const clock = new ManualClock();
  const recorder = new CallAudioRecorder({ clock });
  for (let t = 0; t < 10_000; t += 20) {
    clock.advance(20);
    if (t < 4000) recorder.addVoice(tone(440, 320, t * 16));
    else if (t >= 5000 && t < 9000) recorder.addAgent(tone(880, 320, t * 16), 16_000);
  }
  return recorder.finish();
}

async function upload(roomId: string, file: Uint8Array, token: string): Promise<Response> {
  return fetch(`${h.baseUrl}/api/recordings/rooms/${roomId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/ogg' },
    body: new Uint8Array(file),
  });
}

async function recordedCall(): Promise<{ callId: string; roomId: string }> {
  const started = await h.request('POST', '/api/calls', { body: { displayName: 'Maria' } });
  const call = (await started.json()) as { callId: string; roomId: string };
  const { token } = await h.tokens.issueServiceToken('recording-test-worker');
  expect((await upload(call.roomId, tenSecondCall(), token)).status).toBe(204);
  return call;
}

describe('call recordings', () => {
  it('are stored encrypted and download decrypted: as long as the call, with both voices, audit-logged', async () => {
    const { callId } = await recordedCall();
    const stored = await readFile(path.join(dir, `${callId}.ogg.enc`));
    expect(stored.includes(Buffer.from('OpusHead'))).toBe(false);
    expect(stored.subarray(0, 7).toString('latin1')).toBe('VRR1\u0002k1');

    const response = await h.request('GET', `/api/calls/${callId}/recording`, {
      token: await h.token('supervisor'),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/ogg');
    const pcm = decodeRecording(new Uint8Array(await response.arrayBuffer()));
    expect(Math.abs(pcm.length / 48_000 - 10)).toBeLessThan(1);
    const at = (fromS: number, toS: number) => pcm.subarray(fromS * 48_000, toS * 48_000);
    expect(amplitude(at(1, 3), 440, 48_000)).toBeGreaterThan(2000);
    expect(amplitude(at(6, 8), 880, 48_000)).toBeGreaterThan(2000);

    const admin = await h.token('admin');
    expect((await h.request('GET', `/api/calls/${callId}/recording`, { token: admin })).status).toBe(200);
    const audit = await h.db.orm.em
      .fork()
      .execute<{ action: string; actor_role: string }[]>(
        "select action, actor_role from audit_events where target_id = ? and action like 'recording.%' order by id",
        [callId],
      );
    expect(audit).toEqual([
      { action: 'recording.store', actor_role: 'service' },
      { action: 'recording.download', actor_role: 'supervisor' },
      { action: 'recording.download', actor_role: 'admin' },
    ]);
  });

  it('cannot be downloaded by a human agent, a customer or without a token, nor uploaded with a user token', async () => {
    const { callId, roomId } = await recordedCall();
    const get = async (token?: string) =>
      (await h.request('GET', `/api/calls/${callId}/recording`, token ? { token } : {})).status;
    expect(await get(await h.token('agent'))).toBe(403);
    expect(await get(await h.token('customer'))).toBe(403);
    expect(await get()).toBe(401);
    expect((await upload(roomId, new Uint8Array(10), await h.token('admin'))).status).toBe(401);
    const downloads = await h.db.orm.em
      .fork()
      .execute<{ n: number }[]>(
        "select count(*) as n from audit_events where target_id = ? and action = 'recording.download'",
        [callId],
      );
    expect(Number(downloads[0]?.n)).toBe(0);
  });

  it('are deleted by the retention sweep with their call', async () => {
    const { callId, roomId } = await recordedCall();
    const { callId: keptId } = await recordedCall();
    h.bus.emit('room.closed', { roomId, reason: 'hangup' });
    await expect
      .poll(async () => {
        const rows = await h.db.orm.em
          .fork()
          .execute<{ status: string }[]>('select status from calls where id = ?', [callId]);
        return rows[0]?.status;
      })
      .toBe('ended');
    await h.db.orm.em
      .fork()
      .execute('update calls set ended_at = utc_timestamp(3) - interval 400 day where id = ?', [callId]);
    await writeFile(path.join(dir, 'not-a-call.ogg.enc'), 'someone else’s file');
    const deleted = await h.records.retention.sweep();
    expect(deleted.recordings).toBe(1);
    const files = await readdir(dir);
    expect(files).not.toContain(`${callId}.ogg.enc`);
    expect(files).toContain(`${keptId}.ogg.enc`);
    expect(files).toContain('not-a-call.ogg.enc');
    const response = await h.request('GET', `/api/calls/${callId}/recording`, {
      token: await h.token('admin'),
    });
    expect(response.status).toBe(404);
  });
});
