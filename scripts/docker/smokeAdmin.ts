/**
 * Run inside the smoke stack's server container (npm run docker:smoke): creates an admin with a random password in
 * the stack's database, so the smoke can read the call back through the API, and prints {email, password} as JSON.
 */
import { randomBytes } from 'node:crypto';
import { UserAdmin } from '../../server/src/auth/UserAdmin.ts';
import { loadDbConfig } from '../../server/src/config.ts';
import { openOrm } from '../../server/src/db/orm.ts';

const orm = await openOrm(loadDbConfig());
try {
  const email = `smoke-${randomBytes(4).toString('hex')}@voiceroom.local`;
  const password = randomBytes(18).toString('base64url');
  await new UserAdmin({ orm }).create(
    { id: 'docker-smoke', role: 'admin' },
    { email, password, role: 'admin', displayName: 'Docker smoke' },
  );
  console.log(JSON.stringify({ email, password }));
} finally {
  await orm.close();
}
