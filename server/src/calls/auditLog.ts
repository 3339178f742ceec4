import { createHash } from 'node:crypto';
import type { EntityManager } from '../db/orm.ts';

/**
 * Audit rows outlive calls and are read by every admin: they carry ids, and a fingerprint instead of anything a
 * customer said or gave (order details, free-text notes and hints), enough to tell whether two values were the same.
 */
export function auditFingerprint(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export interface AuditEntry {
  actor: { id: string; role: string } | null;
  /** Verb phrase, e.g. 'extraction.approve', 'agent_config.update', 'copilot.takeover'. */
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** Appends to audit_events; pass the transaction's EntityManager so the entry commits with the change it records. */
export async function recordAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  await em.execute(
    `insert into audit_events (actor_id, actor_role, action, target_type, target_id, details, created_at)
     values (?, ?, ?, ?, ?, ?, utc_timestamp(3))`,
    [
      entry.actor?.id ?? null,
      entry.actor?.role ?? null,
      entry.action.slice(0, 64),
      entry.targetType.slice(0, 32),
      entry.targetId.slice(0, 64),
      entry.details === undefined ? null : JSON.stringify(entry.details),
    ],
    'run',
  );
}
