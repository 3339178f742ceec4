import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { TokenService } from './tokens.ts';

const USAGE = `Usage: node server/src/auth/cli.ts service-token [--name agent-worker] [--ttl-days 30]
Prints a service token (aud voiceroom:service) signed with JWT_SECRET (or the development secret in .cache/),
for an agent worker's AGENT_SERVICE_TOKEN.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'agent-worker' },
      'ttl-days': { type: 'string', default: '30' },
    },
  });
  if (positionals[0] !== 'service-token') {
    console.error(USAGE);
    return positionals.length === 0 ? 0 : 2;
  }
  const ttlDays = Number(values['ttl-days']);
  if (!Number.isFinite(ttlDays) || ttlDays <= 0 || ttlDays > 366) {
    console.error('--ttl-days must be a number of days between 0 and 366');
    return 2;
  }
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(values.name)) {
    console.error('--name: letters, digits, _ . : - only (at most 64)');
    return 2;
  }
  const tokens = new TokenService(loadConfig().jwt);
  const { token } = await tokens.issueServiceToken(values.name, Math.round(ttlDays * 86_400));
  console.log(token);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
