import { randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/passwords.ts';
import type { UserRole } from '../auth/roles.ts';
import { UserEntity } from './entities/index.ts';
import type { MikroORM } from './orm.ts';

/** Development-only default password of the demo accounts; set SEED_PASSWORD anywhere else. */
export const DEFAULT_SEED_PASSWORD = 'voiceroom-demo';

export const DEMO_USERS: readonly { email: string; role: UserRole; displayName: string }[] = [
  { email: 'admin@voiceroom.local', role: 'admin', displayName: 'Admin' },
  { email: 'customer@voiceroom.local', role: 'customer', displayName: 'Demo Customer' },
  { email: 'agent@voiceroom.local', role: 'human_agent', displayName: 'Demo Agent' },
  { email: 'supervisor@voiceroom.local', role: 'supervisor', displayName: 'Demo Supervisor' },
];

/** Creates the demo accounts that do not exist yet (existing ones are left as they are). Returns the emails created. */
export async function seedDemoUsers(
  orm: MikroORM,
  password: string = DEFAULT_SEED_PASSWORD,
): Promise<string[]> {
  const em = orm.em.fork();
  const existing = new Set(
    (await em.find(UserEntity, { email: { $in: DEMO_USERS.map((u) => u.email) } })).map((u) => u.email),
  );
  const created: string[] = [];
  for (const user of DEMO_USERS) {
    if (existing.has(user.email)) continue;
    em.create(UserEntity, {
      id: randomUUID(),
      email: user.email,
      passwordHash: await hashPassword(password),
      role: user.role,
      displayName: user.displayName,
      createdAt: new Date(),
      disabledAt: null,
    });
    created.push(user.email);
  }
  await em.flush();
  return created;
}
