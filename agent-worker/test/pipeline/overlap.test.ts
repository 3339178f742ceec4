import { describe, expect, it } from 'vitest';
import { classifyOverlap, isBareStop, judgeOverAgent } from '../../src/pipeline/overlap.ts';
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

describe('isBareStop', () => {
  it.each([
    ['no', true],
    ['okay no', true],
    ['hold on', true],
    ['no no wait', true],
    ['no make it two', false],
    ['wait i said large', false],
    ['okay', false],
  ] as const)('takes %j for a stop request and nothing else: %s', (text, bare) => {
    expect(isBareStop(text)).toBe(bare);
  });
});

describe('judgeOverAgent', () => {
  const heard = (phrase: string) => ({ phrase, confidence: 1 });

  it.each([
    // the grammar's backchannel decides: the open model makes stop words and other words of backchannels
    ['no', 'yeah', 'backchannel'],
    ['hang on', 'uh huh', 'backchannel'],
    ['could i get three', 'uh huh', 'backchannel'],
    // its stop decides over a hesitation, not over other words (in babble it hears "hang on" in the room)
    ['um', 'no', 'stop'],
    ['could i get one', 'uh hang on', 'speech'],
    ['okay', 'wait', 'backchannel'],
    ['no', 'no', 'stop'],
    // other speech the grammar heard leaves the open model's verdict
    ['no', '', 'stop'],
    ['can i add a coke', '', 'speech'],
    ['', 'okay', 'none'],
  ] as const)("the open model's %j with the grammar's %j is %s", (text, phrase, overlap) => {
    expect(judgeOverAgent(text, heard(phrase))).toBe(overlap);
  });

  it("takes the grammar's stop where the open model heard a stop in the speech's partials or other hypotheses", () => {
    expect(judgeOverAgent('we', heard('wait'), { openHeardStop: true })).toBe('stop');
    expect(judgeOverAgent('we', heard('wait'), { openHeardStop: false })).toBe('speech');
  });

  // bench:overlap seed 2, clean: "wait" heard as "we" by the open model alone; in babble the grammar hears "hang on"
  // in the room's voices, and the VAD found no room there
  it("takes the grammar's stop over the open model's other words where the caller's voice was alone in the speech", () => {
    expect(judgeOverAgent('we', heard('wait'), { voiceAlone: true })).toBe('stop');
    expect(judgeOverAgent('could i get one', heard('uh hang on'), { voiceAlone: false })).toBe('speech');
    expect(judgeOverAgent('okay', heard('wait'), { voiceAlone: true })).toBe('backchannel');
  });

  it('without the grammar, the open model alone judges', () => {
    expect(judgeOverAgent('no', undefined)).toBe('stop');
    expect(judgeOverAgent('tom', undefined)).toBe('speech');
  });
});
