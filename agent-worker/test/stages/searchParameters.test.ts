import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PocketSphinxStt } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { DEFAULT_SEARCH_PARAMETERS, searchArgs } from '../../src/stages/stt/pocketsphinx/searchParameters.ts';

/** The arguments of every decoder the real library built in this file. */
const built = vi.hoisted(() => [] as Record<string, string>[]);

vi.mock('../../src/stages/stt/pocketsphinx/native.ts', async (importOriginal) => {
  const native = await importOriginal<typeof import('../../src/stages/stt/pocketsphinx/native.ts')>();
  return {
    ...native,
    loadPocketSphinx: () => {
      const real = native.loadPocketSphinx();
      return {
        ...real,
        createDecoder: (args: Record<string, string>) => {
          built.push(args);
          return real.createDecoder(args);
        },
      };
    },
  };
});

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);

describe('pocketsphinx search parameters', () => {
  let stt: PocketSphinxStt | undefined;
  afterEach(() => {
    stt?.close();
    built.length = 0;
  });

  it('a decoder is built with the default search parameters, which the library accepts', async () => {
    stt = await PocketSphinxStt.create({ domain: pizzeria, idleDecoders: 1 });
    const args = built[0];
    expect(args?.['-lw']).toBe(String(DEFAULT_SEARCH_PARAMETERS.languageWeight));
    expect(args?.['-bestpathlw']).toBe(String(DEFAULT_SEARCH_PARAMETERS.bestPathLanguageWeight));
    expect(args?.['-wip']).toBe(String(DEFAULT_SEARCH_PARAMETERS.wordInsertionPenalty));
    expect(args?.['-fwdflat']).toBe(DEFAULT_SEARCH_PARAMETERS.flatPass ? 'yes' : 'no');
    expect(args?.['-lm']).toMatch(/domain\.arpa$/);
  });

  it('a parameter given to the recogniser overrides its default and leaves the others', async () => {
    stt = await PocketSphinxStt.create({
      domain: pizzeria,
      idleDecoders: 1,
      search: { wordInsertionPenalty: 0.3, bestPath: false },
    });
    expect(built[0]).toMatchObject({
      '-wip': '0.3',
      '-bestpath': 'no',
      '-silprob': String(DEFAULT_SEARCH_PARAMETERS.silenceProbability),
    });
  });

  it('every parameter has its own flag, numbers as the library parses them', () => {
    const args = searchArgs({ beam: 1e-60, topGaussians: 2 });
    expect(Object.keys(args)).toHaveLength(Object.keys(DEFAULT_SEARCH_PARAMETERS).length);
    expect(args['-beam']).toBe('1e-60');
    expect(args['-topn']).toBe('2');
  });
});
