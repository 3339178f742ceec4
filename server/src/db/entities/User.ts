import { EntitySchema } from '@mikro-orm/core';
import { type UserRole, UserRoleSchema } from '../../auth/roles.ts';

export interface User {
  id: string;
  email: string;
  /** scrypt hash in the format of server/src/auth/passwords.ts; never serialized. */
  passwordHash: string;
  role: UserRole;
  displayName: string;
  createdAt: Date;
  disabledAt: Date | null;
}

export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    email: { type: 'string', length: 254, unique: 'users_email_unique' },
    passwordHash: { type: 'string', length: 255, hidden: true },
    role: { enum: true, items: () => UserRoleSchema.options },
    displayName: { type: 'string', length: 128 },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
    disabledAt: { type: 'datetime', length: 3, nullable: true },
  },
});
