import { describe, expect, it } from 'vitest';
import { repromptFor } from '../../src/pipeline/reprompt.ts';

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
