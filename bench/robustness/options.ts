/**
 * Command line of `npm run bench:robustness -- [--calls N] [--from I] [--seed S] [--voices a,b] [--snr clean,20]
 * [--bed pads|continuous]`. `--from I` starts at conversation I of the seed's set (0-based), so a long set can be run
 * in parts that each hold the shared benchmark lock briefly, and the parts are the same calls as one whole run.
 * `--bed`: how the call's noise plays (callerAudio.ts, BedMode). pads stays the default so that figures stay
 * comparable with the recorded ones; continuous is the realistic room (babble end of turn ~1.1 s on the code before
 * the quantile background level, against ~0.64 s with pads: bench:endpoint seeds 2 and 3).
 */
import type { AgentConfig } from '@voiceroom/protocol';
import type { BedMode } from './callerAudio.ts';
import {
  ALL_NOISES,
  ALL_VOICES,
  type Conversation,
  generateConversation,
  type Noise,
  noiseLabel,
  type Voice,
} from './conversation.ts';

export interface RobustnessOptions {
  calls: number;
  from: number;
  seed: number;
  voices: Voice[];
  noises: Noise[];
  bed: BedMode;
}

export class OptionsError extends Error {}

function positiveInt(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new OptionsError(`${flag} takes an integer >= ${min}, got "${value}"`);
  return n;
}

/** A voice by name ("slt", "en-gb-scotland") or engine:name ("flite:kal"). */
function voice(name: string): Voice {
  const found = ALL_VOICES.find((v) => v.name === name || `${v.engine}:${v.name}` === name);
  if (!found)
    throw new OptionsError(`unknown voice "${name}": use one of ${ALL_VOICES.map((v) => v.name).join(', ')}`);
  return found;
}

/** "clean", an SNR in dB (pink and babble at that level) or a condition label ("pink_20db"). */
function noises(spec: string): Noise[] {
  const found = ALL_NOISES.filter(
    (n) => noiseLabel(n) === spec || (n.kind !== 'clean' && String(n.snrDb) === spec.replace(/db$/i, '')),
  );
  if (found.length === 0)
    throw new OptionsError(
      `unknown --snr "${spec}": use clean, 20, 15 or one of ${ALL_NOISES.map(noiseLabel).join(', ')}`,
    );
  return found;
}

function bedMode(value: string): BedMode {
  if (value === 'pads' || value === 'continuous') return value;
  throw new OptionsError(`--bed takes pads or continuous, got "${value}"`);
}

export function parseOptions(argv: readonly string[]): RobustnessOptions {
  const options: RobustnessOptions = {
    calls: 8,
    from: 0,
    seed: 1,
    voices: [...ALL_VOICES],
    noises: [...ALL_NOISES],
    bed: 'pads',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    if (value === undefined) throw new OptionsError(`${flag} needs a value`);
    const list = value.split(',').filter((v) => v.length > 0);
    if (flag === '--calls') options.calls = positiveInt(flag, value, 1);
    else if (flag === '--seed') options.seed = positiveInt(flag, value, 0);
    else if (flag === '--from') options.from = positiveInt(flag, value, 0);
    else if (flag === '--voices') options.voices = list.map(voice);
    else if (flag === '--snr') options.noises = [...new Set(list.flatMap(noises))];
    else if (flag === '--bed') options.bed = bedMode(value);
    else
      throw new OptionsError(`unknown option ${flag}: use --calls, --from, --seed, --voices, --snr or --bed`);
  }
  return options;
}

/**
 * A switch (a flag without a value, such as `--denoise`) taken out of `argv`, so the rest parses as robustness
 * options.
 */
export function takeSwitch(argv: readonly string[], flag: string): { on: boolean; rest: string[] } {
  const rest = argv.filter((a) => a !== flag);
  return { on: rest.length < argv.length, rest };
}

/** Conversation `index` of the set the options pick (seed, voices, noises) for this agent. */
export function conversationAt(
  options: RobustnessOptions,
  config: Pick<AgentConfig, 'menu' | 'knowledge'>,
  index: number,
): Conversation {
  return generateConversation(
    {
      menu: config.menu,
      knowledge: config.knowledge,
      seed: options.seed,
      voices: options.voices,
      noises: options.noises,
    },
    index,
  );
}

/** Runs a benchmark's main; a bad command line is said on stderr with exit code 2 instead of a stack trace. */
export async function withOptionsErrors(bench: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof OptionsError) {
      process.stderr.write(`${bench}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
