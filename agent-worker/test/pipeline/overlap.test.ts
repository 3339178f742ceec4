import { describe, expect, it } from 'vitest';
import { classifyOverlap, isWordedBackchannel } from '../../src/pipeline/overlap.ts';
import { BACKCHANNEL_PHRASES, STOP_PHRASES } from '../../src/stages/stt/lm/overAgentPhrases.ts';
import { HESITATIONS } from '../../src/stages/stt/lm/slotCorpus.ts';

// The language models learn these phrases so that speech over the agent is heard as them; turn-taking then judges
// them with classifyOverlap. A phrase the models learn but the classifier judges otherwise would be heard right and
// handled wrong (a backchannel that stops the agent, a stop request it talks over).
describe('classifyOverlap', () => {
  it.each(BACKCHANNEL_PHRASES)(
    'takes the backchannel every model learns, %j, for a backchannel',
    (phrase) => {
      expect(classifyOverlap(phrase)).toBe('backchannel');
    },
  );

  it.each(STOP_PHRASES)('takes the stop request every model learns, %j, for a stop', (phrase) => {
    expect(classifyOverlap(phrase)).toBe('stop');
  });

  // every model learns them too (alone or before an answer): heard over the agent ("er" in babble, a backchannel
  // begun as "er uh huh"), they let it go on until words follow
  it.each(HESITATIONS)('takes the hesitation every model learns, %j, for a backchannel', (hesitation) => {
    expect(classifyOverlap(hesitation)).toBe('backchannel');
    expect(classifyOverlap(`${hesitation} right`)).toBe('backchannel');
  });

  it('takes a backchannel that goes on into other words for speech, and a stop word anywhere for a stop', () => {
    expect(classifyOverlap('yeah can i add a coke')).toBe('speech');
    expect(classifyOverlap('okay no wait')).toBe('stop');
    expect(classifyOverlap('  ')).toBe('none');
  });

  // "hold the onions" is an order; the recogniser hears a backchannel "okay" as "hold" and the room as "old cedar"
  it.each([
    ['hold the onions', 'speech'],
    ['hold', 'speech'],
    ['and old cedar hold', 'speech'],
    ['uh hang on a second', 'stop'],
    ['excuse me', 'stop'],
  ] as const)(
    'takes "hold", "hang" and "excuse" for a stop only with the word that makes them one: %j',
    (text, overlap) => {
      expect(classifyOverlap(text)).toBe(overlap);
    },
  );
});

describe('isWordedBackchannel', () => {
  // a backchannel the models learn, with or without a filler, is one; a hesitation alone, a loose word a
  // backchannel may hold, or a backchannel going on into other words is none
  it.each([
    ['okay', true],
    ['uh huh', true],
    ['er right', true],
    ['mhm', true],
    ['oh okay', true],
    ['um', false],
    ['hmm', false],
    ['i', false],
    ['correct', false],
    ['yeah two', false],
    ['okay no', false],
  ] as const)('takes %j for a worded backchannel: %s', (text, worded) => {
    expect(isWordedBackchannel(text)).toBe(worded);
  });
});
