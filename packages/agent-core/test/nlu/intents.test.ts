import { describe, expect, it } from 'vitest';
import {
  asksForMenu,
  isAffirmative,
  isDoneOrdering,
  isGoodbye,
  isNegative,
  matchKnowledge,
  negativeSentiment,
  tokenize,
  wantsHuman,
  yesNoAnswer,
} from '../../src/nlu/index.ts';
import { pizzeria } from './pizzeria.ts';

const words = (s: string) => tokenize(s).map((t) => t.norm);
const config = pizzeria();

describe('yes and no', () => {
  it.each(['yes', 'Yes, please.', 'yeah go ahead', "that's right", 'sounds good', 'yep'])(
    '%j is a yes',
    (t) => {
      expect(isAffirmative(words(t))).toBe(true);
    },
  );
  it.each(['no', 'nope', 'not quite', "no that's wrong"])('%j is a no, not a yes', (t) => {
    expect(isNegative(words(t))).toBe(true);
    expect(isAffirmative(words(t))).toBe(false);
  });
});

describe('yesNoAnswer (the agent asked a yes/no question)', () => {
  it.each(['us', 'yes', "yeah that's right", 'uh huh', 'um yes', 'that is correct', 'yep'])(
    '%j is a yes',
    (t) => {
      expect(yesNoAnswer(words(t))).toBe('yes');
    },
  );
  it.each(['know', 'no', 'nope', 'wait', 'not quite'])('%j is a no', (t) => {
    expect(yesNoAnswer(words(t))).toBe('no');
  });
  it.each(['purple', 'how long will it take', 'us and also a coke and garlic bread please'])(
    '%j is neither',
    (t) => {
      expect(yesNoAnswer(words(t))).toBeUndefined();
    },
  );
  it('reads "us" as a yes only after a yes/no question', () => {
    expect(isAffirmative(words('us'))).toBe(false);
  });
});

describe('yesNoAnswer to a check of what the agent heard ("Did you say five cokes?")', () => {
  it.each([
    'yes',
    'yeah',
    'yep',
    'correct',
    "that's right",
    'right',
    'yes go ahead',
    'us',
    'i did',
    'yes please',
  ])('%j is a yes', (t) => {
    expect(yesNoAnswer(words(t), 'check')).toBe('yes');
  });
  it.each(['go ahead', 'sounds good', 'please do', 'okay', 'sure', 'place it', 'of course'])(
    '%j agrees to a proposal: no yes to a check, though a yes to "Shall I place the order?"',
    (t) => {
      expect(yesNoAnswer(words(t), 'check')).toBeUndefined();
      expect(isAffirmative(words(t), 'check')).toBe(false);
      expect(yesNoAnswer(words(t))).toBe('yes');
    },
  );
  it.each(['no', 'nope', 'no go ahead'])('%j is a no', (t) => {
    expect(yesNoAnswer(words(t), 'check')).toBe('no');
  });
});

describe('done ordering and goodbye', () => {
  it.each(["that's all", 'no thats it', 'nothing else', 'No thank you.', 'nope'])(
    '%j ends the order',
    (t) => {
      expect(isDoneOrdering(words(t))).toBe(true);
    },
  );
  it('is not done when the caller goes on ordering', () => {
    expect(isDoneOrdering(words('and a coke'))).toBe(false);
  });
  it.each(['ok bye', 'thanks goodbye', 'have a good night'])('%j is a goodbye', (t) => {
    expect(isGoodbye(words(t))).toBe(true);
  });
});

describe('wantsHuman', () => {
  const keywords = config.handoff.keywords;
  it.each([
    'i want to talk to a manager',
    'can i speak to a real person',
    'representative',
    'operator please',
  ])('%j asks for a human', (t) => {
    expect(wantsHuman(words(t), keywords)).toBe(true);
  });
  it.each([
    'i want to pick it up in person',
    'a large pepperoni',
    'my manager said you have good pizza and i want one',
  ])('%j does not ask for a human', (t) => {
    expect(wantsHuman(words(t), keywords)).toBe(false);
  });
});

describe('negativeSentiment', () => {
  it('scores an upset caller above a calm one', () => {
    expect(negativeSentiment(words('a large pepperoni please'))).toBe(0);
    expect(negativeSentiment(words('this is annoying'))).toBe(1);
    expect(negativeSentiment(words("this is ridiculous, you're not listening"))).toBeGreaterThanOrEqual(2);
  });
});

describe('knowledge and menu questions', () => {
  it.each([
    ['what time do you close tonight', 'What are your opening hours?'],
    ['are you open on sundays', 'What are your opening hours?'],
    ['do you deliver to riverside', 'Do you deliver?'],
    ['how long will it take', 'How long will it take?'],
    ['so first of all how long does delivery usually take', 'How long will it take?'],
    ['any gluten free options', 'Do you have gluten free options?'],
  ])('%j matches %j', (t, question) => {
    expect(matchKnowledge(words(t), config.knowledge)?.question).toBe(question);
  });
  it('matches nothing when no keyword is said', () => {
    expect(matchKnowledge(words('a large pepperoni please'), config.knowledge)).toBeUndefined();
  });
  it.each(['what do you have', "what's on the menu", 'what kinds of pizza do you have'])(
    '%j asks for the menu',
    (t) => {
      expect(asksForMenu(words(t))).toBe(true);
    },
  );
});
