import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { loadConfig, loadDbConfig } from '../config.ts';
import { openOrm } from '../db/orm.ts';
import { ServiceTokenRevocations } from './ServiceTokenRevocations.ts';
import { TokenService } from './TokenService.ts';

const USAGE = `Usage: node server/src/auth/cli.ts <command>
  service-token [--name agent-worker] [--ttl-hours N]
      Prints a service token (aud voiceroom:service) signed with JWT_SECRET (or the development secret in .cache/),
      for an agent worker's AGENT_SERVICE_TOKEN; its jti goes to stderr. Default lifetime SERVICE_TOKEN_TTL_HOURS (24).
  revoke-service-token --jti <jti> [--reason text]
      Adds the token to the deny-list in the database (DB_* variables): workers using it can no longer connect.`;

const JTI = /^[A-Za-z0-9-]{1,64}$/;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'agent-worker' },
      'ttl-hours': { type: 'string' },
      jti: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  switch (positionals[0]) {
    case 'service-token':
      return issue(values.name, values['ttl-hours']);
    case 'revoke-service-token':
      return revoke(values.jti, values.reason);
    default:
      console.error(USAGE);
      return positionals.length === 0 ? 0 : 2;
  }
}

async function issue(name: string, ttlHoursText: string | undefined): Promise<number> {
  const config = loadConfig();
  const ttlHours = ttlHoursText === undefined ? undefined : Number(ttlHoursText);
  if (ttlHours !== undefined && (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > 24 * 366)) {
    console.error('--ttl-hours must be a number of hours between 0 and 8784 (366 days)');
    return 2;
  }
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(name)) {
    console.error('--name: letters, digits, _ . : - only (at most 64)');
    return 2;
  }
  const tokens = new TokenService(config.jwt);
  const { token, expiresIn } = await tokens.issueServiceToken(
    name,
    ttlHours === undefined ? undefined : Math.round(ttlHours * 3600),
  );
  console.error(`jti ${String(decodeJwt(token).jti)}, expires in ${expiresIn} s`);
  console.log(token);
  return 0;
}

async function revoke(jti: string | undefined, reason: string | undefined): Promise<number> {
  if (!jti || !JTI.test(jti)) {
    console.error('--jti is required: the id printed when the token was issued (letters, digits and -)');
    return 2;
  }
  const orm = await openOrm(loadDbConfig());
  try {
    const pending = await orm.migrator.getPending();
    if (pending.length > 0)
      throw new Error(`${pending.length} migration(s) pending: run "npm run migrate" first`);
    await new ServiceTokenRevocations({ orm }).revoke(jti, reason?.slice(0, 200));
    console.log(`revoked service token ${jti}`);
    return 0;
  } finally {
    await orm.close(true);
  }
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
