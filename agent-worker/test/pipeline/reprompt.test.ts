import { describe, expect, it } from 'vitest';
import { repromptFor, unheardAsk } from '../../src/pipeline/reprompt.ts';

describe('repromptFor', () => {
  it("asks the agent's last question again, after the apology", () => {
    const said = 'Two pizzas. Your total is $25.50. Shall I place the order?';
    expect(repromptFor([{ role: 'assistant', content: said }])).toBe(
      "Sorry, I didn't catch that. Shall I place the order?",
    );
  });

  it('a reply the caller heard only up to before its question asks them to say it again', () => {
    const history = [
      { role: 'assistant' as const, content: 'What can I get for you?' },
      { role: 'user' as const, content: 'two pizzas' },
      { role: 'assistant' as const, content: 'Let me read that back: two' },
    ];
    expect(repromptFor(history)).toBe("Sorry, I didn't catch that. Could you say that again?");
  });

  it("takes the agent's question, not a human agent's words", () => {
    const history = [
      { role: 'assistant' as const, content: 'Can I get a name for the order?' },
      { role: 'assistant' as const, content: '[human agent] Are you there?', speaker: 'human' as const },
    ];
    expect(repromptFor(history)).toBe("Sorry, I didn't catch that. Can I get a name for the order?");
  });

  it('asking it again after an earlier reprompt keeps the same question', () => {
    const again = repromptFor([{ role: 'assistant', content: 'What is the delivery address?' }]);
    expect(repromptFor([{ role: 'assistant', content: again }])).toBe(again);
  });
});

describe('unheardAsk', () => {
  const said = 'Got it, one large pepperoni pizza. What is the phone number for the order?';

  it('is the reply from the sentence it was cut off in, through its question', () => {
    expect(unheardAsk(said, 'Got it, one large')).toBe(said);
    expect(unheardAsk(said, '')).toBe(said);
    expect(unheardAsk(said, 'Got it, one large pepperoni pizza.')).toBe(
      'What is the phone number for the order?',
    );
  });

  it('is a whole read-back cut off in its first words, not only its "Shall I place the order?"', () => {
    const readBack =
      'Let me read that back: two medium margherita pizzas for Susan Palmer, delivered to 4079 Hill Place. Your total is thirty-one dollars. Shall I place the order?';
    expect(unheardAsk(readBack, 'Let me read that')).toBe(readBack);
    expect(
      unheardAsk(
        readBack,
        'Let me read that back: two medium margherita pizzas for Susan Palmer, delivered to 4079 Hill Place. Your total',
      ),
    ).toBe('Your total is thirty-one dollars. Shall I place the order?');
  });

  it('is the whole question of a reply cut off inside it', () => {
    expect(unheardAsk(said, 'Got it, one large pepperoni pizza. What is the')).toBe(
      'What is the phone number for the order?',
    );
  });

  it('is nothing once the question was heard whole, or when the reply asked none', () => {
    expect(unheardAsk(said, said)).toBeUndefined();
    expect(unheardAsk(`${said} We deliver until ten.`, said)).toBeUndefined();
    expect(unheardAsk('Got it, one large pepperoni pizza.', 'Got it')).toBeUndefined();
  });

  it('is the last question when the reply asks two', () => {
    const two = 'Did you say medium? What size would you like then?';
    expect(unheardAsk(two, 'Did you say medium?')).toBe('What size would you like then?');
  });

  it('is said once sorry when what went unheard was a re-prompt', () => {
    const unheard = "Sorry, I didn't catch that. What is the delivery address?";
    expect(repromptFor([], unheard)).toBe(unheard);
  });

  it('is asked by the reprompt rather than the question the history holds', () => {
    const history = [{ role: 'assistant' as const, content: 'What can I get for you?' }];
    expect(repromptFor(history, 'What is the phone number for the order?')).toBe(
      "Sorry, I didn't catch that. What is the phone number for the order?",
    );
  });
});
