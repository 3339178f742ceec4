import { describe, expect, it } from 'vitest';
import { ScriptedDialog } from '../../src/dialog/index.ts';
import type { DialogChunk } from '../../src/stages/types.ts';
import { pizzeria } from '../nlu/pizzeria.ts';
import { turn } from './collect.ts';

function session() {
  return new ScriptedDialog({ config: pizzeria() }).createSession();
}

/** Plays a call; returns the agent's replies. */
async function call(...utterances: string[]) {
  const s = session();
  const history: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  const replies: Array<{ chunks: DialogChunk[]; text: string }> = [];
  for (const u of utterances) replies.push(await turn(s, u, { history }));
  return replies;
}

describe('ScriptedDialog', () => {
  it('takes a whole order: items, missing size, name, address, phone, read-back with total, confirmation and goodbye', async () => {
    const replies = await call(
      'hi can i get two pepperoni pizzas and a coke',
      'large',
      "no that's all",
      "it's maria lopez",
      'twelve oak street',
      'four one five five five five one two three four',
      'yes please',
    );
    expect(replies.map((r) => r.text)).toEqual([
      'Two pepperoni pizzas and a coke, got it. What size would you like for the two pepperoni pizzas: small, medium or large?',
      'Two large pepperoni pizzas, got it. Anything else?',
      'Can I get a name for the order?',
      "Thanks, Maria Lopez. What's the delivery address?",
      'And a phone number, in case the driver needs to reach you?',
      'Let me read that back: two large pepperoni pizzas and a coke for Maria Lopez, delivered to 12 Oak Street. The driver can reach you on four one five, five five five, one two three four. Your total is thirty-three dollars fifty. Shall I place the order?',
      'Great, your order is placed. Delivery usually takes thirty to forty minutes. Thanks for your order. Goodbye!',
    ]);
    expect(replies.at(-1)?.chunks.at(-1)).toEqual({ type: 'end_call' });
    expect(replies.slice(0, -1).every((r) => r.chunks.every((c) => c.type === 'text'))).toBe(true);
  });

  it('streams a reply sentence by sentence', async () => {
    const [reply] = await call('a large veggie pizza');
    expect(reply?.chunks).toEqual([
      { type: 'text', text: 'A large veggie pizza, got it.' },
      { type: 'text', text: ' Anything else?' },
    ]);
  });

  it('answers a knowledge question and returns to the open slot', async () => {
    const replies = await call(
      'a small hawaiian',
      'what time do you close',
      'thats all',
      'how long will it take',
    );
    expect(replies[1]?.text).toBe(
      "We're open from eleven in the morning to eleven at night, every day. Would you like anything else?",
    );
    expect(replies[3]?.text).toBe(
      'Delivery usually takes thirty to forty minutes. Can I get a name for the order?',
    );
  });

  it('reads the menu and prices when asked', async () => {
    const [menu, price] = await call('what do you have', 'how much is a medium veggie pizza');
    expect(menu?.text).toContain('For pizzas we have pepperoni, margherita, hawaiian and veggie.');
    expect(menu?.text).toContain('For drinks we have coke and lemonade.');
    expect(price?.text).toBe('A medium veggie pizza is twelve dollars. What would you like to order?');
  });

  it('applies corrections and says the changed line back', async () => {
    const replies = await call(
      'two large pepperoni pizzas and a coke',
      'actually make that three cokes',
      'remove the coke',
      'no, a medium',
    );
    expect(replies[1]?.text).toBe('Three cokes, got it. Anything else?');
    // The third "Anything else?" in a row is said in other words.
    expect(replies[2]?.text).toBe("Okay, I've taken off the coke. What else can I get you?");
    expect(replies[3]?.text).toBe('Two medium pepperoni pizzas, got it. Anything else?');
  });

  it('asks what to change when the caller rejects the read-back, then reads the changed order back at once', async () => {
    const replies = await call(
      'a large pepperoni',
      'no',
      'my name is bob smith',
      '4 main st',
      'no phone thanks',
      'no',
      'make it a medium',
    );
    expect(replies[5]?.text).toBe('Sorry about that. What would you like to change?');
    expect(replies[6]?.text).toContain(
      'a medium pepperoni pizza for Bob Smith, delivered to 4 Main Street. Your total is twelve dollars fifty.',
    );
  });

  it('hands off when the caller asks for a person', async () => {
    const [reply] = await call('can i speak to a real person please');
    expect(reply?.chunks.at(-1)).toEqual({ type: 'handoff', reason: 'caller asked for a human' });
  });

  it('hands off when the caller sounds upset, but not on one cross word', async () => {
    const [mild] = await call('ugh this is annoying, a large pepperoni');
    expect(mild?.chunks.some((c) => c.type === 'handoff')).toBe(false);
    const [upset] = await call("this is ridiculous, you're not listening to me");
    expect(upset?.chunks.at(-1)).toEqual({ type: 'handoff', reason: 'caller sounds upset' });
  });

  it('hands off after the configured number of misunderstood turns in a row', async () => {
    const replies = await call('purple monkey dishwasher', 'blah blah', 'the quick brown fox');
    // the greeting asked for the order: the second ask gives an example, the third offers a person
    expect(replies[0]?.text).toBe(
      "Sorry, I didn't get that. For example, you can say a large pepperoni pizza, or ask me what we have. What would you like?",
    );
    expect(replies[1]?.text).toBe(
      "Sorry, I didn't get that. I'm sorry this is taking a while. Would you like me to get a person to help you?",
    );
    expect(replies[2]?.chunks.at(-1)).toEqual({ type: 'handoff', reason: '3 misunderstood turns in a row' });
  });

  it('forgives a misunderstanding once the caller is understood again', async () => {
    const replies = await call('purple monkey', 'blah', 'a coke', 'purple', 'blah');
    expect(replies.every((r) => r.chunks.every((c) => c.type === 'text'))).toBe(true);
  });

  it('answers small talk and totals without counting a misunderstanding', async () => {
    const replies = await call(
      'hello',
      'hold on one second',
      'two small veggie pizzas',
      'how much is that',
      'thanks',
    );
    expect(replies[0]?.text).toBe('Hi there! What would you like to order?');
    expect(replies[1]?.text).toBe('Sure, take your time. What would you like to order?');
    expect(replies[3]?.text).toBe('Your total so far is eighteen dollars. Would you like anything else?');
    // "Would you like anything else?" was asked twice without an answer: now a yes/no question.
    expect(replies[4]?.text).toBe("You're welcome. Is that everything for your order?");
    expect(replies.every((r) => r.chunks.every((c) => c.type === 'text'))).toBe(true);
  });

  it('asks which one when the caller names only a category', async () => {
    const [reply, next] = await call("hi i'd like to order a pizza", 'the hawaiian, medium');
    expect(reply?.text).toBe(
      'Sure, which pizza would you like? We have pepperoni, margherita, hawaiian and veggie.',
    );
    expect(next?.text).toBe('A medium hawaiian pizza, got it. Anything else?');
  });

  it('asks again on empty input, with an example (the greeting asked already)', async () => {
    const [reply] = await call('');
    expect(reply?.text).toMatch(
      /^Sorry, I didn't catch that\. For example, you can say a large pepperoni pizza/,
    );
  });

  it('ends the call politely on goodbye', async () => {
    const [reply] = await call('actually never mind, bye');
    expect(reply?.chunks).toEqual([
      { type: 'text', text: 'Thanks for your order. Goodbye!' },
      { type: 'end_call' },
    ]);
  });

  it('follows a co-pilot hint in the next reply, once', async () => {
    const s = session();
    const first = await turn(s, 'a large pepperoni', { hints: ['offer free garlic bread'] });
    expect(first.text).toBe(
      'We can also offer you free garlic bread. A large pepperoni pizza, got it. Anything else?',
    );
    const second = await turn(s, 'and a coke', { hints: ['offer free garlic bread'] });
    expect(second.text).not.toContain('garlic bread');
  });

  it('stops between sentences when aborted', async () => {
    const s = session();
    const controller = new AbortController();
    const chunks: DialogChunk[] = [];
    for await (const c of s.respond(
      { history: [], userText: 'what do you have', hints: [] },
      controller.signal,
    )) {
      chunks.push(c);
      controller.abort();
    }
    expect(chunks).toHaveLength(1);
  });

  it('always says something, whatever the caller says, until it ends or hands off', async () => {
    const words =
      'a two large coke yes no bye my name is 12 oak street what do you have remove make it medium human ?'.split(
        ' ',
      );
    let seed = 7;
    const pick = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return words[seed % words.length];
    };
    for (let c = 0; c < 20; c++) {
      const s = session();
      for (let t = 0; t < 15; t++) {
        const { chunks, text } = await turn(s, Array.from({ length: 1 + (t % 6) }, pick).join(' '));
        if (chunks.length === 0) break;
        expect(text.trim().length).toBeGreaterThan(0);
        if (chunks.some((ch) => ch.type !== 'text')) break;
      }
    }
  });

  it('catches up on caller turns it did not answer (a human had taken over)', async () => {
    const s = session();
    const history = [
      { role: 'user' as const, content: 'two small veggie pizzas' },
      { role: 'assistant' as const, content: 'Got it, anything else?' },
      { role: 'user' as const, content: 'my name is ana diaz' },
      { role: 'assistant' as const, content: 'Thanks Ana Diaz.' },
    ];
    const { text } = await turn(s, "that's all", { history });
    expect(text).toBe("What's the delivery address?");
  });

  it('reads back what a human agent added for the caller while they had the call', async () => {
    const s = session();
    const history: Array<{ role: 'user' | 'assistant'; content: string }> = [];
    await turn(s, 'a large pepperoni pizza', { history });
    await turn(s, 'my name is ana diaz', { history });
    await turn(s, 'twelve oak street', { history });
    await turn(s, 'five five five three two one four five six seven', { history });
    s.hearHuman?.('I added a garlic bread for you');
    history.push({ role: 'assistant', content: '[human agent] I added a garlic bread for you' });
    const { text } = await turn(s, "that's all", { history });
    expect(text).toMatch(/^Let me read that back: a large pepperoni pizza and a garlic bread for Ana Diaz/);
  });
});

describe('ScriptedDialog: a barge-in that starts with "wait"', () => {
  const ORDER = 'a small hawaiian pizza and two cokes';

  it('takes a lone "wait" as a hold, not as the delivery-time question', async () => {
    const replies = await call(ORDER, 'wait', 'no, make that three cokes');
    expect(replies[1]?.text).toMatch(/^Sure, take your time\./);
    expect(replies[1]?.text).not.toContain('Delivery usually takes');
    expect(replies[2]?.text).toBe('Three cokes, got it. Anything else?');
  });

  it('applies the change in "wait, no, make that three cokes" without answering a question nobody asked', async () => {
    const replies = await call(ORDER, 'wait, no, make that three cokes', "that's all");
    expect(replies[1]?.text).toBe('Three cokes, got it. Anything else?');
    expect(replies[2]?.text).not.toContain('Delivery usually takes');
  });

  it('still answers the delivery-time question when the caller asks it', async () => {
    const replies = await call(ORDER, 'how long will I have to wait');
    expect(replies[1]?.text).toContain('Delivery usually takes thirty to forty minutes.');
  });
});
