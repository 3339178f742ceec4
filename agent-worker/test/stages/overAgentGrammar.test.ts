import { describe, expect, it } from 'vitest';
import {
  overAgentGrammar,
  overAgentGrammarWords,
  phoneWordPronunciations,
  phraseHeard,
} from '../../src/stages/stt/grammar/overAgentGrammar.ts';
import { BACKCHANNEL_PHRASES, STOP_PHRASES } from '../../src/stages/stt/lm/overAgentPhrases.ts';
import { fsgAccepts } from './fixtures/fsgAccepts.ts';

describe('overAgentGrammar', () => {
  const fsg = overAgentGrammar();
  const text = fsg.toText('over_agent');

  it.each([...BACKCHANNEL_PHRASES, ...STOP_PHRASES])(
    'accepts the phrase %j, alone or after a hesitation',
    (phrase) => {
      expect(fsgAccepts(text, phrase)).toBe(true);
      expect(fsgAccepts(text, `um ${phrase}`)).toBe(true);
    },
  );

  it('accepts any other speech as phones, after a phrase too; not a phrase twice or a bare hesitation', () => {
    expect(fsgAccepts(text, 'phone_k phone_ae phone_n')).toBe(true);
    expect(fsgAccepts(text, 'okay phone_k phone_ae phone_n')).toBe(true);
    expect(fsgAccepts(text, 'okay okay okay')).toBe(false);
    expect(fsgAccepts(text, 'um')).toBe(false);
  });

  it('has a pronunciation for every phone word and leaves them out of the words a dictionary is asked for', () => {
    const phoneWords = fsg.words().filter((w) => w.startsWith('phone_'));
    const pronounced = phoneWordPronunciations().trim().split('\n');
    expect(pronounced.map((line) => line.split(' ')[0])).toEqual(phoneWords);
    expect(overAgentGrammarWords(fsg)).toEqual(expect.arrayContaining(['okay', 'wait', 'hold', 'um']));
    expect(overAgentGrammarWords(fsg).some((w) => w.startsWith('phone_'))).toBe(false);
  });

  it('reads a hypothesis as the phrase heard, or as other speech once any phone word is in it', () => {
    expect(phraseHeard(' uh huh ')).toBe('uh huh');
    expect(phraseHeard('okay phone_k phone_ae')).toBe('');
  });
});
