import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function defaultLevel(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.LOG_LEVEL?.toLowerCase();
  if (fromEnv && (LEVELS as readonly string[]).includes(fromEnv)) return fromEnv;
  // Tests stay quiet unless asked otherwise.
  return env.VITEST || env.NODE_ENV === 'test' ? 'warn' : 'info';
}

let root: Logger | undefined;

function rootLogger(): Logger {
  root ??= pino({
    level: defaultLevel(process.env),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}

/** A pino JSON logger whose lines carry `component`; level from LOG_LEVEL (default info, warn under tests). */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}
