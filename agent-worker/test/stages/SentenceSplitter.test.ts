import { describe, expect, it } from 'vitest';
import { SentenceSplitter, splitSentences } from '../../src/stages/tts/SentenceSplitter.ts';

describe('SentenceSplitter', () => {
  it('splits on sentence punctuation followed by whitespace', () => {
    expect(splitSentences('Hi there! Is that all? Great. Bye')).toEqual([
      'Hi there!',
      'Is that all?',
      'Great.',
      'Bye',
    ]);
  });

  it('keeps prices and decimals inside their sentence', () => {
    expect(splitSentences('That is $15.50 in total. It takes 2.5 hours.')).toEqual([
      'That is $15.50 in total.',
      'It takes 2.5 hours.',
    ]);
  });

  it('does not split after abbreviations or initials', () => {
    expect(splitSentences('Mr. J. Smith lives at 12 Main St. near the park. Dr. Who agrees.')).toEqual([
      'Mr. J. Smith lives at 12 Main St. near the park.',
      'Dr. Who agrees.',
    ]);
  });

  it('splits an ellipsis only before a capitalised word', () => {
    expect(splitSentences('Well... let me see. Hmm... Okay.')).toEqual([
      'Well... let me see.',
      'Hmm...',
      'Okay.',
    ]);
  });

  it('splits on line breaks and closing quotes', () => {
    expect(splitSentences('He said "yes." Then left.\nNew line')).toEqual([
      'He said "yes."',
      'Then left.',
      'New line',
    ]);
  });

  it('emits a sentence as soon as its boundary arrives in a token stream, never inside a number', () => {
    const splitter = new SentenceSplitter();
    const seen: string[][] = [];
    for (const token of [
      'That',
      ' is',
      ' 15',
      '.',
      '50',
      ' dollars',
      '.',
      ' Anything',
      ' else',
      '?',
      ' Bye',
    ]) {
      seen.push(splitter.push(token));
    }
    expect(seen.flat()).toEqual(['That is 15.50 dollars.', 'Anything else?']);
    expect(seen[7]).toEqual(['That is 15.50 dollars.']);
    expect(splitter.flush()).toBe('Bye');
    expect(splitter.flush()).toBeUndefined();
  });

  it('returns nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   \n ')).toEqual([]);
  });
});
