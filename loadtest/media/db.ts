/** Read-only queries on the load run's own database through the mariadb client (same DB_* variables as the server). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Rows of `sql` in `db`, each a list of column texts. */
export async function query(db: string, sql: string): Promise<string[][]> {
  const { stdout } = await run('mariadb', [
    '-h',
    process.env.DB_HOST ?? '127.0.0.1',
    '-u',
    process.env.DB_USER ?? 'root',
    ...(process.env.DB_PASSWORD ? [`-p${process.env.DB_PASSWORD}`] : []),
    '-N',
    '-B',
    db,
    '-e',
    sql,
  ]);
  return stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** The last turn-metrics row so far (0 when none), so a run can profile only its own turns. */
export async function lastTurnMetricId(db: string): Promise<number> {
  return Number((await query(db, 'select coalesce(max(id), 0) from turn_metrics'))[0]?.[0] ?? 0);
}

/**
 * Where the agent's time went, from its own turn metrics: the median of each stage, for the first turn of each call
 * and for later turns apart (rows after `afterId` only).
 */
export async function agentTurnProfile(db: string, afterId = 0) {
  const rows = await query(
    db,
    `select turn, eou_ms, asr_final_ms, dialog_first_token_ms, tts_first_audio_ms, voice_to_voice_ms from turn_metrics where id > ${Math.trunc(afterId)}`,
  );
  const median = (values: number[]) => {
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.floor((sorted.length - 1) / 2)] as number);
  };
  const profile = (pick: (turn: number) => boolean) => {
    const chosen = rows.map((r) => r.map(Number)).filter((r) => pick(r[0] as number));
    const col = (i: number) => median(chosen.map((r) => r[i] as number));
    return {
      n: chosen.length,
      eou: col(1),
      asr_final: col(2),
      dialog_first_token: col(3),
      tts_first_audio: col(4),
      agent_v2v: col(5),
    };
  };
  const first = Math.min(...rows.map((r) => Number(r[0])));
  return { first_turn: profile((t) => t === first), later_turns: profile((t) => t !== first) };
}
