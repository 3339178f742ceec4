import { describe, expect, it } from 'vitest';
import { normWords, spokenWords } from '../../src/nlu/index.ts';

describe('spokenWords', () => {
  it('splits at any run of whitespace and keeps punctuation', () => {
    expect(spokenWords('  two   large pizzas. ')).toEqual(['two', 'large', 'pizzas.']);
    expect(spokenWords('Let me\nread')).toEqual(['Let', 'me', 'read']);
  });

  it('has no words for empty or blank text', () => {
    expect(spokenWords('')).toEqual([]);
    expect(spokenWords(' \t ')).toEqual([]);
  });
});

describe('normWords', () => {
  it('lowercases, drops punctuation and apostrophes', () => {
    expect(normWords("That's all, thanks!")).toEqual(['thats', 'all', 'thanks']);
  });
});
