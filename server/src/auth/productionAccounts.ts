import { randomBytes } from 'node:crypto';
import { CodedError } from '@voiceroom/protocol';
import { z } from 'zod';
import { UserEntity } from '../db/entities/index.ts';
import type { MikroORM } from '../db/orm.ts';
import { DEFAULT_SEED_PASSWORD, DEMO_USERS } from '../db/seed.ts';
import { verifyPassword } from './passwords.ts';
import { UserAdmin, type UserRecord } from './UserAdmin.ts';

/** A production server refuses to run while a demo account still opens with the public demo password. */
export class DemoPasswordError extends CodedError<'demo_password_in_production'> {
  readonly emails: string[];

  constructor(emails: string[]) {
    super(
      'demo_password_in_production',
      `Accounts ${emails.join(', ')} still have the public demo password '${DEFAULT_SEED_PASSWORD}': ` +
        'change their passwords (or disable them) before starting with NODE_ENV=production.',
    );
    this.name = 'DemoPasswordError';
    this.emails = emails;
  }
}

/** Throws DemoPasswordError when an enabled demo account's password is the public demo password. */
export async function refuseDemoPasswords(orm: MikroORM): Promise<void> {
  const users = await orm.em
    .fork()
    .find(UserEntity, { email: { $in: DEMO_USERS.map((u) => u.email) }, disabledAt: null });
  const exposed: string[] = [];
  for (const user of users) {
    if (await verifyPassword(DEFAULT_SEED_PASSWORD, user.passwordHash)) exposed.push(user.email);
  }
  if (exposed.length > 0) throw new DemoPasswordError(exposed.sort());
}

const EmailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));

/**
 * Creates an admin account with a random password (returned once, never stored in clear): how a production
 * deployment gets its first login instead of seeded demo accounts.
 */
export async function createAdmin(
  orm: MikroORM,
  input: { email: string; displayName?: string },
): Promise<{ user: UserRecord; password: string }> {
  const email = EmailSchema.parse(input.email);
  const password = randomBytes(18).toString('base64url');
  const user = await new UserAdmin({ orm }).create(
    { id: 'cli', role: 'operator' },
    { email, password, role: 'admin', displayName: input.displayName ?? 'Admin' },
  );
  return { user, password };
}
