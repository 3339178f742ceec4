import { EntitySchema } from '@mikro-orm/core';
import { type User, UserEntity } from './User.ts';

/**
 * One refresh token of a login. Tokens of one login form a family: refreshing rotates to a new member and marks the
 * old one rotated; presenting a rotated token again means it was stolen, and the whole family is revoked.
 */
export interface RefreshToken {
  id: string;
  user: User;
  /** sha256 (hex) of the opaque token; the token itself is never stored. */
  tokenHash: string;
  familyId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export const RefreshTokenEntity = new EntitySchema<RefreshToken>({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: () => UserEntity, deleteRule: 'cascade' },
    tokenHash: { type: 'string', length: 64, unique: 'refresh_tokens_token_hash_unique' },
    familyId: { type: 'uuid', index: 'refresh_tokens_family_id_index' },
    expiresAt: { type: 'datetime', length: 3 },
    rotatedAt: { type: 'datetime', length: 3, nullable: true },
    revokedAt: { type: 'datetime', length: 3, nullable: true },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
  },
});
