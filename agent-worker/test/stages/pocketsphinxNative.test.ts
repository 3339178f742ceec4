import { afterAll, describe, expect, it } from 'vitest';
import { loadPocketSphinx } from '../../src/stages/stt/pocketsphinx/native.ts';
import { DEFAULT_POCKETSPHINX_MODEL } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { concat, silence, synthesizeSpeech } from './fixtures/speech.ts';

/** Counts the event loop's turns (setImmediate) until stopped. */
function loopTurns() {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  return {
    get turns() {
      return turns;
    },
    stop: () => {
      running = false;
    },
  };
}

describe('the pocketsphinx binding', () => {
  const lib = loadPocketSphinx();
  const decoder = lib.createDecoder({
    '-hmm': `${DEFAULT_POCKETSPHINX_MODEL}/en-us`,
    '-lm': `${DEFAULT_POCKETSPHINX_MODEL}/en-us.lm.bin`,
    '-dict': `${DEFAULT_POCKETSPHINX_MODEL}/cmudict-en-us.dict`,
    '-logfn': '/dev/null',
  });
  afterAll(() => lib.free(decoder));

  it('reads an ended utterance (best hypothesis, n-best, confidence) while the event loop goes on', async () => {
    const speech = await synthesizeSpeech(
      'my address is twelve oak street and my number is five five five',
      'flite',
    );
    lib.startUtt(decoder);
    await lib.processRaw(decoder, concat(silence(200), speech, silence(300)));
    await lib.endUtt(decoder);

    const loop = loopTurns();
    const best = await lib.finalHypothesis(decoder);
    const turnsDuringBest = loop.turns;
    const hypotheses = await lib.nbest(decoder, 5);
    const turnsDuringNbest = loop.turns;
    const confidence = await lib.probability(decoder);
    const turnsDuringBoth = loop.turns;
    loop.stop();

    expect(best).toBe(lib.hypothesis(decoder).text.trim());
    expect(best).toMatch(/\boak\b/);
    expect(turnsDuringBest).toBeGreaterThan(0);
    expect(hypotheses.length).toBeGreaterThan(1);
    expect(new Set(hypotheses).size).toBe(hypotheses.length);
    expect(turnsDuringNbest).toBeGreaterThan(turnsDuringBest);
    expect(confidence).toBeGreaterThanOrEqual(0);
    expect(confidence).toBeLessThanOrEqual(1);
    expect(turnsDuringBoth).toBeGreaterThan(turnsDuringNbest);
  }, 60_000);
});
