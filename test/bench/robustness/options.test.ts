import { describe, expect, it } from 'vitest';
import { ALL_NOISES, ALL_VOICES } from '../../../bench/robustness/conversation.ts';
import { OptionsError, parseOptions, takeSwitch } from '../../../bench/robustness/options.ts';

describe('bench:robustness options', () => {
  it('default to every voice and noise condition', () => {
    const options = parseOptions([]);
    expect(options.voices).toHaveLength(ALL_VOICES.length);
    expect(options.noises).toHaveLength(ALL_NOISES.length);
  });

  it('take calls, seed, voices by name and SNRs by level or label', () => {
    const options = parseOptions([
      '--calls',
      '4',
      '--seed',
      '9',
      '--voices',
      'slt,en-gb-scotland',
      '--snr',
      'clean,15',
    ]);
    expect(options).toMatchObject({ calls: 4, seed: 9 });
    expect(options.voices.map((v) => v.name)).toEqual(['slt', 'en-gb-scotland']);
    expect(options.noises).toEqual([
      { kind: 'clean' },
      { kind: 'pink', snrDb: 15 },
      { kind: 'babble', snrDb: 15 },
    ]);
    expect(parseOptions(['--snr', 'babble_20db']).noises).toEqual([{ kind: 'babble', snrDb: 20 }]);
  });

  it('start at conversation 0 unless told where to start', () => {
    expect(parseOptions([]).from).toBe(0);
    expect(parseOptions(['--from', '6', '--calls', '6'])).toMatchObject({ from: 6, calls: 6 });
    expect(() => parseOptions(['--from', '-1'])).toThrow(/--from takes an integer >= 0/);
  });

  it('play the noise around each caller line unless told to play it through the whole call', () => {
    expect(parseOptions([]).bed).toBe('pads');
    expect(parseOptions(['--bed', 'continuous']).bed).toBe('continuous');
    expect(() => parseOptions(['--bed', 'loud'])).toThrow(/--bed takes pads or continuous/);
  });

  it('refuse what they do not know, saying what to use', () => {
    expect(() => parseOptions(['--calls', '0'])).toThrow(OptionsError);
    expect(() => parseOptions(['--voices', 'hal9000'])).toThrow(/unknown voice "hal9000": use one of kal/);
    expect(() => parseOptions(['--snr', '5'])).toThrow(/use clean, 20, 15/);
    expect(() => parseOptions(['--speed', '2'])).toThrow(/unknown option --speed/);
    expect(() => parseOptions(['--calls'])).toThrow(/--calls needs a value/);
  });

  it('take a switch such as --denoise out wherever it stands, leaving the rest to parse', () => {
    const denoise = takeSwitch(['--seed', '2', '--denoise', '--snr', 'clean'], '--denoise');
    expect(denoise.on).toBe(true);
    expect(parseOptions(denoise.rest).seed).toBe(2);
    expect(takeSwitch(['--seed', '2'], '--denoise')).toEqual({ on: false, rest: ['--seed', '2'] });
  });
});
