import { describe, expect, it } from 'vitest';
import { StopWords } from '../../src/pipeline/StopWords.ts';

describe('StopWords', () => {
  it('counts a stop word in the best hypothesis', () => {
    const stops = new StopWords();
    stops.heard('two cokes please');
    expect(stops.inBest).toBe(false);
    stops.heard('wait two cokes');
    expect(stops.inBest).toBe(true);
    expect(stops.anywhere).toBe(true);
  });

  it('tells a stop word heard only in the other hypotheses from one in the best', () => {
    const stops = new StopWords();
    stops.heard('could i have one', ['could i have two']);
    expect(stops.anywhere).toBe(false);
    stops.heard('could i have one', ['could i hang on', 'hold on']);
    expect(stops.inBest).toBe(false);
    expect(stops.anywhere).toBe(true);
  });

  it('notes a stop request the over-agent grammar heard, apart from the open model', () => {
    const stops = new StopWords();
    stops.heard('could i have one', [], 'uh huh');
    expect(stops.inGrammar).toBe(false);
    stops.heard('could i have one', [], 'hang on');
    expect(stops.inGrammar).toBe(true);
    expect(stops.anywhere).toBe(false);
  });

  it('forgets what it heard and a deferred stop when a new speech begins', () => {
    const stops = new StopWords();
    stops.heard('no', ['no wait'], 'no');
    stops.defer();
    expect(stops.deferred).toBe(true);
    stops.reset();
    expect(stops.inBest).toBe(false);
    expect(stops.deferred).toBe(false);
    expect(stops.anywhere).toBe(false);
    expect(stops.inGrammar).toBe(false);
  });
});
