import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

let root: Logger | undefined;

/** A pino JSON logger whose lines carry `component`; level from LOG_LEVEL (default info, warn under tests). */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  root ??= pino({
    level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root.child({ component, ...bindings });
}
