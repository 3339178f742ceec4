import { defaultAgent } from '@voiceroom/agent-core/agents';
import { describe, expect, it } from 'vitest';
import { buildDomainCorpus } from '../../agent-worker/src/stages/stt/lm/domainCorpus.ts';
import { normalizeTranscript } from '../../agent-worker/src/stages/stt/lm/normalize.ts';
import { ASR_LINES, BARGE_IN_LINES, LONG_ANSWER_LINES, ORDINARY_LINES } from '../../bench/utterances.ts';

/**
 * The benchmarks' caller lines are held out of the language model the recogniser is built from: one that is a
 * corpus sentence, or a run of words inside one, would be recognised better than a caller's own phrasing.
 */
describe('benchmark utterances', () => {
  it('appear nowhere verbatim in the default agent language-model corpus', () => {
    const corpus = buildDomainCorpus(defaultAgent()).map((words) => ` ${words.join(' ')} `);
    expect(corpus.length).toBeGreaterThan(1_000);
    const lines = [...ORDINARY_LINES, ...LONG_ANSWER_LINES, ...BARGE_IN_LINES, ...ASR_LINES];
    const inCorpus = lines.filter((line) => {
      const words = ` ${normalizeTranscript(line).join(' ')} `;
      return corpus.some((sentence) => sentence.includes(words));
    });
    expect(inCorpus).toEqual([]);
  });
});
