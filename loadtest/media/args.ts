/**
 * Command-line arguments of `npm run loadtest:media`, validated with errors that say which flag is wrong and what
 * it accepts.
 */
import { parseArgs } from 'node:util';

export type LoadMode = 'agent' | 'sfu';

export interface MediaLoadArgs {
  mode: LoadMode;
  /** agent mode: concurrent callers; sfu mode: rooms (one speaker each). */
  callers: number;
  /** Seconds each caller stays in its call once joined (agent) or the whole measurement lasts (sfu). */
  duration: number;
  /** Seconds over which the callers join, evenly spread (0: all at once). */
  ramp: number;
  /** sfu mode: listeners per room. */
  listeners: number;
  /** agent mode: virtual callers per Chromium page. */
  perPage: number;
}

export class ArgumentError extends Error {
  readonly code = 'invalid_argument';
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

export const USAGE =
  'usage: npm run loadtest:media -- --callers N --duration S [--ramp S] [--mode agent|sfu] [--listeners K] [--per-page P]';

function integer(
  name: string,
  raw: string | undefined,
  fallback: number | undefined,
  min: number,
  max: number,
): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new ArgumentError(`--${name} is required (${min}..${max}); ${USAGE}`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ArgumentError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

export function parseMediaLoadArgs(argv: string[]): MediaLoadArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        callers: { type: 'string' },
        duration: { type: 'string' },
        ramp: { type: 'string' },
        mode: { type: 'string' },
        listeners: { type: 'string' },
        'per-page': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new ArgumentError(`${(error as Error).message}; ${USAGE}`);
  }
  const mode = values.mode ?? 'agent';
  if (mode !== 'agent' && mode !== 'sfu')
    throw new ArgumentError(`--mode must be agent or sfu, got "${mode}"`);
  const duration = integer('duration', values.duration, undefined, 1, 3_600);
  const ramp = integer('ramp', values.ramp, 0, 0, 3_600);
  if (ramp > duration && mode === 'sfu')
    throw new ArgumentError(`--ramp (${ramp} s) must not exceed --duration (${duration} s) in sfu mode`);
  return {
    mode,
    callers: integer('callers', values.callers, undefined, 1, 2_000),
    duration,
    ramp,
    listeners: integer('listeners', values.listeners, 10, 1, 5_000),
    perPage: integer('per-page', values['per-page'], 8, 1, 64),
  };
}

export type CapacityPart = 'agent' | 'sfu';
const CAPACITY_USAGE = 'usage: npm run bench:capacity [-- --only agent|sfu]';

/** The parts of bench:capacity to run: `--only agent|sfu`, else CAPACITY_PARTS (comma-separated), else both. */
export function parseCapacityParts(argv: string[], fromEnv: string | undefined): CapacityPart[] {
  let only: string | undefined;
  try {
    ({
      values: { only },
    } = parseArgs({ args: argv, options: { only: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new ArgumentError(`${(error as Error).message}; ${CAPACITY_USAGE}`);
  }
  const parts = (only ?? fromEnv ?? 'agent,sfu').split(',');
  const unknown = parts.filter((p) => p !== 'agent' && p !== 'sfu');
  if (unknown.length > 0)
    throw new ArgumentError(`unknown capacity part "${unknown.join(',')}": agent or sfu; ${CAPACITY_USAGE}`);
  return parts as CapacityPart[];
}
