/**
 * MariaDB unreachable mid-call (FAULT_DB_OUTAGE_MS, default 8 s; the 30 s with FAULT_DB_OUTAGE_MS=30000):
 * the server reaches the database through a loopback TCP proxy that the test stops and starts again, so the shared
 * MariaDB stays up for everyone else. Transcript segments and turn metrics published meanwhile are held in memory
 * and written, in order, once the database is back; the call's end and its extraction follow; /readyz says
 * "database" is failing for the outage. Times go to bench/results/faults.json (db_outage).
 */
import type { TranscriptEvent } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MikroORM, openOrm } from '../../server/src/db/orm.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { pollUntil } from '../helpers/browser.ts';
import { recordFault } from './faultResults.ts';
import { TcpProxy } from './TcpProxy.ts';

const OUTAGE_MS = Number(process.env.FAULT_DB_OUTAGE_MS ?? 8_000);
const ROOM = 'call-db-outage';
const CALLER_LINES = ['two large pepperoni pizzas', 'and a coke', 'my name is Anna', 'that is all'];

let proxy: TcpProxy;
let app: TestApp;
let direct: MikroORM;
let segment = 0;
let turn = 0;
const said: string[] = [];

const sql = <T>(query: string, params: unknown[] = []) => direct.em.fork().execute<T[]>(query, params);
const readyz = async () => {
  const response = await fetch(`${app.url}/readyz`);
  return {
    status: response.status,
    body: (await response.json()) as { checks?: Record<string, { ok: boolean }> },
  };
};
const metric = async (name: string) => {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? Number.NaN);
};

/** One exchange as the agent gateway publishes it: the caller's line, the agent's answer, the turn's metrics. */
function exchange(line: string): void {
  const at = segment * 2_000;
  const publish = (speaker: 'customer' | 'agent', text: string) => {
    const event: TranscriptEvent = {
      roomId: ROOM,
      segmentId: `${speaker}-${segment++}`,
      speaker,
      text,
      final: true,
      startMs: at,
      endMs: at + 900,
      interrupted: false,
    };
    app.server.bus.emit('transcript', event);
    said.push(text);
  };
  publish('customer', line);
  publish('agent', `Got it: ${line}.`);
  app.server.bus.emit('turn.metrics', {
    roomId: ROOM,
    turn: turn++,
    eouMs: 300,
    asrFinalMs: 120,
    dialogFirstTokenMs: 5,
    ttsFirstAudioMs: 80,
    voiceToVoiceMs: 700,
    interrupted: false,
  });
}

beforeAll(async () => {
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: 3306 });
  app = await startTestApp({ env: { DB_PORT: String(proxy.port) } });
  direct = await openOrm({ ...app.server.config.db, port: 3306 });
}, 60_000);

afterAll(async () => {
  await proxy?.start();
  await direct?.close(true);
  await app?.close();
  await proxy?.stop();
});

describe('MariaDB unreachable mid-call', () => {
  it(
    'loses no transcript segment or turn metric, writes them in order afterwards, and extracts the call',
    async () => {
      const { bus } = app.server;
      bus.emit('room.created', { roomId: ROOM, agentId: 'pizzeria' });
      bus.emit('participant.joined', {
        roomId: ROOM,
        peerId: 'caller',
        identity: 'customer:anna',
        displayName: 'Anna',
        role: 'customer',
      });
      exchange(CALLER_LINES[0] as string);
      const [call] = await pollUntil(
        () => sql<{ id: string }>('select id from calls where room_id = ?', [ROOM]),
        (rows) => rows.length === 1,
        { timeoutMs: 10_000, what: 'the call record' },
      );
      await pollUntil(
        () =>
          sql<{ n: number }>('select count(*) as n from transcript_segments where call_id = ?', [call?.id]),
        (rows) => Number(rows[0]?.n) === 2,
        { timeoutMs: 10_000, what: 'the first exchange written' },
      );

      const downAt = performance.now();
      await proxy.stop();
      const notReady = await pollUntil(readyz, (r) => r.status === 503, {
        timeoutMs: 10_000,
        intervalMs: 50,
        what: '/readyz to fail',
      });
      const readyzDownMs = performance.now() - downAt;
      expect(notReady.body.checks?.database?.ok).toBe(false);
      // the rest of the call happens while the database is away, the hangup included
      const spacing = OUTAGE_MS / (CALLER_LINES.length + 1);
      for (const line of CALLER_LINES.slice(1)) {
        await new Promise((resolve) => setTimeout(resolve, spacing));
        exchange(line);
      }
      bus.emit('participant.left', { roomId: ROOM, peerId: 'caller', reason: 'left' });
      bus.emit('room.closed', { roomId: ROOM, reason: 'room_empty' });
      expect(await metric('call_events_buffered')).toBeGreaterThanOrEqual(3 * (CALLER_LINES.length - 1));
      expect(
        await sql('select count(*) as n from transcript_segments where call_id = ?', [call?.id]),
      ).toEqual([{ n: 2 }]);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, downAt + OUTAGE_MS - performance.now())),
      );

      const upAt = performance.now();
      await proxy.start();
      const rows = await pollUntil(
        () =>
          sql<{ speaker: string; text: string }>(
            'select speaker, text from transcript_segments where call_id = ? order by id',
            [call?.id],
          ),
        (r) => r.length === said.length,
        { timeoutMs: 30_000, intervalMs: 50, what: 'every held segment written' },
      );
      const writtenMs = performance.now() - upAt;
      expect(rows.map((r) => r.text)).toEqual(said);
      expect(
        (
          await sql<{ turn: number }>('select turn from turn_metrics where call_id = ? order by id', [
            call?.id,
          ])
        ).map((r) => r.turn),
      ).toEqual(Array.from({ length: CALLER_LINES.length }, (_, i) => i));
      await pollUntil(readyz, (r) => r.status === 200, {
        timeoutMs: 10_000,
        intervalMs: 50,
        what: '/readyz back',
      });
      const readyzUpMs = performance.now() - upAt;
      const [ended] = await pollUntil(
        () =>
          sql<{ status: string; outcome: string }>('select status, outcome from calls where id = ?', [
            call?.id,
          ]),
        (r) => r[0]?.status === 'ended',
        { timeoutMs: 10_000, intervalMs: 50, what: 'the hangup written' },
      );
      expect(ended).toEqual({ status: 'ended', outcome: 'completed' });
      const [job] = await pollUntil(
        () => sql<{ status: string }>('select status from extraction_jobs where call_id = ?', [call?.id]),
        (r) => r[0]?.status === 'succeeded',
        { timeoutMs: 30_000, intervalMs: 100, what: 'the extraction to succeed' },
      );
      const extractedMs = performance.now() - upAt;
      expect(job?.status).toBe('succeeded');
      expect(await metric('call_events_buffered')).toBe(0);
      expect(await metric('call_events_dropped')).toBe(0);

      await recordFault('db_outage', {
        what:
          'MariaDB unreachable for the server (its TCP proxy stopped) for outage_ms mid-call; the held transcript ' +
          'segments and turn metrics are written after it: times from the database coming back (and /readyz failing ' +
          'from it going away)',
        outage_ms: OUTAGE_MS,
        held: { segments: said.length - 2, turn_metrics: CALLER_LINES.length - 1 },
        lost: 0,
        readyz_failing_after_ms: Math.round(readyzDownMs),
        all_written_after_ms: Math.round(writtenMs),
        readyz_ok_after_ms: Math.round(readyzUpMs),
        extraction_succeeded_after_ms: Math.round(extractedMs),
        n: 1,
      });
    },
    60_000 + OUTAGE_MS,
  );
});
