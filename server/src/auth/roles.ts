import type { RoomRole } from '@voiceroom/protocol';
import { z } from 'zod';

/** Account roles (control plane). Room roles (sdk-js protocol/grants.ts) are what a participant may do in one room. */
export const UserRoleSchema = z.enum(['customer', 'human_agent', 'supervisor', 'admin', 'service']);
export type UserRole = z.infer<typeof UserRoleSchema>;

/** Roles that work calls: may join rooms from the console. */
export const STAFF_ROLES: readonly UserRole[] = ['human_agent', 'supervisor', 'admin'];

/** The room role a staff account joins a call with; undefined for accounts that may not join as staff. */
export function roomRoleForUser(role: UserRole): RoomRole | undefined {
  switch (role) {
    case 'human_agent':
      return 'human_agent';
    case 'supervisor':
    case 'admin':
      return 'supervisor';
    default:
      return undefined;
  }
}
