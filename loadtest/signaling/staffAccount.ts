import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../server/src/config.ts';

/** Seeds the demo accounts into a load stack's fresh database; returns the human agent's credentials. */
export async function seedStaffAccount(dbName: string): Promise<{ email: string; password: string }> {
  const password = 'signaling-load-pw-1';
  await promisify(execFile)(process.execPath, [path.join('server', 'src', 'db', 'cli.ts'), 'seed'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DB_NAME: dbName, SEED_PASSWORD: password, LOG_LEVEL: 'error' },
  });
  return { email: 'agent@voiceroom.local', password };
}
