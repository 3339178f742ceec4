import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { CodedError } from '@voiceroom/protocol';
import { recordAudit } from '../calls/auditLog.ts';
import { RefreshTokenEntity, type User, UserEntity } from '../db/entities/index.ts';
import type { MikroORM } from '../db/orm.ts';
import { hashPassword } from './passwords.ts';
import type { UserRole } from './roles.ts';
import { type PublicUser, publicUser } from './SessionService.ts';

export interface UserRecord extends PublicUser {
  createdAt: string;
  disabledAt: string | null;
}

export interface NewUser {
  email: string;
  password: string;
  role: UserRole;
  displayName: string;
}

export interface UserChanges {
  role?: UserRole;
  displayName?: string;
  password?: string;
  disabled?: boolean;
}

export interface Actor {
  id: string;
  role: string;
}

export class UserAdminError extends CodedError<'email_taken' | 'user_not_found' | 'cannot_change_self'> {
  constructor(code: UserAdminError['code'], message: string) {
    super(code, message);
    this.name = 'UserAdminError';
  }
}

function record(user: User): UserRecord {
  return {
    ...publicUser(user),
    createdAt: user.createdAt.toISOString(),
    disabledAt: user.disabledAt?.toISOString() ?? null,
  };
}

/**
 * Account administration: list, create, change role/name/password, disable and enable. Disabling or changing the
 * password or role revokes every refresh token of the account. Each change is written to the audit log with it.
 */
export class UserAdmin {
  readonly #orm: MikroORM;

  constructor(options: { orm: MikroORM }) {
    this.#orm = options.orm;
  }

  async list(query: {
    page: number;
    pageSize: number;
    role?: UserRole;
  }): Promise<{ items: UserRecord[]; total: number }> {
    const [users, total] = await this.#orm.em
      .fork()
      .findAndCount(UserEntity, query.role ? { role: query.role } : {}, {
        orderBy: { email: 'asc' },
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
    return { items: users.map(record), total };
  }

  async create(actor: Actor, input: NewUser): Promise<UserRecord> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.#orm.em.fork().transactional(async (em) => {
        const user = em.create(UserEntity, {
          id: randomUUID(),
          email: input.email.trim().toLowerCase(),
          passwordHash,
          role: input.role,
          displayName: input.displayName,
          createdAt: new Date(),
          disabledAt: null,
        });
        await em.flush();
        await recordAudit(em, {
          actor,
          action: 'user.create',
          targetType: 'user',
          targetId: user.id,
          details: { role: user.role },
        });
        return record(user);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new UserAdminError('email_taken', `An account with the email ${input.email} already exists.`);
      }
      throw error;
    }
  }

  async update(actor: Actor, userId: string, changes: UserChanges): Promise<UserRecord> {
    if (actor.id === userId && (changes.disabled === true || (changes.role && changes.role !== actor.role))) {
      throw new UserAdminError(
        'cannot_change_self',
        'You cannot disable your own account or change your own role.',
      );
    }
    const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password);
    return this.#orm.em.fork().transactional(async (em) => {
      const user = await em.findOne(UserEntity, { id: userId });
      if (!user) throw new UserAdminError('user_not_found', `No account with id ${userId}.`);
      const roleChanged = changes.role !== undefined && changes.role !== user.role;
      if (changes.role !== undefined) user.role = changes.role;
      if (changes.displayName !== undefined) user.displayName = changes.displayName;
      if (passwordHash !== undefined) user.passwordHash = passwordHash;
      if (changes.disabled !== undefined)
        user.disabledAt = changes.disabled ? (user.disabledAt ?? new Date()) : null;
      if (changes.disabled === true || roleChanged || passwordHash !== undefined) {
        await em.nativeUpdate(
          RefreshTokenEntity,
          { user: user.id, revokedAt: null },
          { revokedAt: new Date() },
        );
      }
      await em.flush();
      const details = { ...changes, password: changes.password === undefined ? undefined : '(changed)' };
      await recordAudit(em, { actor, action: 'user.update', targetType: 'user', targetId: user.id, details });
      return record(user);
    });
  }
}
