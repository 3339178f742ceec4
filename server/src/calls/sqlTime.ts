/** Conversions between MySQL DATETIME(3) values (stored in UTC) and JavaScript/ISO times. */

/** MySQL DATETIME(3) in UTC ('2026-11-21 13:00:17.196') as ISO 8601. */
export function isoUtc(value: string | Date | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  return `${value.replace(' ', 'T')}Z`;
}

export function mysqlUtc(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
