import { describe, expect, it } from 'vitest';
import { PHONE_LEFT_OUT, REPAIR_QUESTIONS } from '../../src/dialog/replies.ts';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

const lastQuestion = (reply: string) =>
  reply
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.endsWith('?'))
    .at(-1);

/** Ways into each slot, so the property below starts from every question the agent asks. */
const PREFIXES: Record<string, string[]> = {
  order: [],
  size: ['a pepperoni pizza'],
  more: ['a large pepperoni pizza'],
  name: ['a large pepperoni pizza', "that's all"],
  address: ['a large pepperoni pizza', "that's all", 'my name is maria lopez'],
  phone: ['a large pepperoni pizza', "that's all", 'my name is maria lopez', '12 oak street'],
  confirm: [
    'a large pepperoni pizza',
    "that's all",
    'my name is maria lopez',
    '12 oak street',
    '555 321 4567',
  ],
};

const UNHELPFUL = [
  '',
  'um',
  'purple monkey dishwasher',
  'hello',
  'thanks',
  'hold on one second',
  'what time do you close',
  'how much is that',
  'do you deliver',
  'yes',
  'okay',
  'hmm well',
  'the the the',
  'what',
  'sorry',
];

describe('ScriptedDialog repair', () => {
  it('never asks the same question three times in a row, whatever unhelpful answers the caller gives', async () => {
    let seed = 11;
    const pick = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return UNHELPFUL[seed % UNHELPFUL.length] ?? '';
    };
    let checkedTurns = 0;
    for (const [slot, prefix] of Object.entries(PREFIXES)) {
      for (let c = 0; c < 25; c++) {
        const s = session();
        const asked: Array<string | undefined> = [];
        for (const u of prefix) asked.push(lastQuestion((await turn(s, u)).text));
        for (let t = 0; t < 10; t++) {
          const { chunks, text } = await turn(s, pick());
          if (chunks.some((ch) => ch.type !== 'text')) break;
          asked.push(lastQuestion(text));
          checkedTurns++;
          const [a, b, q] = asked.slice(-3);
          if (q !== undefined && a === q && b === q)
            throw new Error(`"${q}" asked three times in a row from the ${slot} slot`);
        }
      }
    }
    expect(checkedTurns).toBeGreaterThan(200);
  });

  it('confirms a guess explicitly after two failed asks for a size, and a yes applies it', async () => {
    const s = session();
    const replies = await play(s, 'a pepperoni pizza', 'um', 'median', 'yes');
    expect(replies[1]).toBe(
      "Sorry, I didn't get that. What size would you like for the pepperoni pizza: small, medium or large?",
    );
    expect(replies[2]).toBe("Sorry, I didn't get that. Did you say medium?");
    expect(replies[3]).toBe('A medium pepperoni pizza, got it. Anything else?');
    expect(s.tracker.order.lines).toEqual([{ name: 'pepperoni pizza', size: 'medium', quantity: 1 }]);
  });

  it('offers the choices when there is no guess, or the guess was wrong', async () => {
    const noGuess = await play(session(), 'a pepperoni pizza', 'um', 'blah');
    expect(noGuess[2]).toContain('Which size: small, medium or large?');
    const wrongGuess = await play(session(), 'a pepperoni pizza', 'um', 'median', 'no');
    expect(wrongGuess[3]).toContain('Which size: small, medium or large?');
  });

  it('offers a person when the address fails twice (never a third ask), and hands off on yes', async () => {
    const s = session();
    const replies = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'my name is maria lopez',
      'yes',
      'okay',
    );
    expect(replies.slice(2)).toEqual([
      "Thanks, Maria Lopez. What's the delivery address?",
      "What's the delivery address?",
      "I'm sorry this is taking a while. Would you like me to get a person to help you?",
    ]);
    const handoff = await turn(s, 'yes please');
    expect(handoff.chunks.at(-1)).toEqual({ type: 'handoff', reason: 'caller asked for a human' });
  });

  it('asks to spell a name that failed twice once, then goes on without it instead of asking round again', async () => {
    const s = session();
    const replies = await play(s, 'a large pepperoni pizza', "that's all", 'yes', 'okay', 'yes');
    expect(replies.slice(1)).toEqual([
      'Can I get a name for the order?',
      'Can I get a name for the order?',
      'Could you spell your name for me, letter by letter?',
      "Let's go on without the name for now. What's the delivery address?",
    ]);
    expect(s.tracker.customer.name).toBeNull();
    // still correctable at any time
    const [later] = await play(s, '12 oak street and the name is maria lopez');
    expect(s.tracker.customer.name).toBe('Maria Lopez');
    expect(later).toContain('phone number');
  });

  it('after the caller declined a person, an address that still fails is left to confirm and the call goes on', async () => {
    const s = session();
    const offer = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'my name is maria lopez',
      'okay',
      'yes',
    );
    expect(offer.at(-1)).toContain('Would you like me to get a person');
    const replies = await play(s, 'no thanks', 'hmm');
    expect(replies).toEqual([
      "Okay, let's keep going. What's the delivery address?",
      "Sorry, I didn't get that. I'll note what I have, and we'll confirm the address with you. And a phone number, in case the driver needs to reach you?",
    ]);
    // still correctable at any time
    await play(s, '12 oak street');
    expect(s.tracker.customer.address).toBe('12 Oak Street');
  });

  it('takes a spelled name after asking for it', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all", 'okay', 'yes');
    const replies = await play(s, 'm a r i a', 'k e l l y');
    expect(s.tracker.customer.name).toBe('Maria Kelly');
    expect(replies).toEqual([
      'Thanks, Maria. Could you spell your last name?',
      "Got it, the name is Maria Kelly. What's the delivery address?",
    ]);
  });

  it('keeps a first and last name spelled in two segments as both, and says the full name back', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all", 'okay', 'yes', 'w i l l i a m');
    const [reply] = await play(s, 'r o g e r s');
    expect(s.tracker.customer.name).toBe('William Rogers');
    expect(reply).toMatch(/^Got it, the name is William Rogers\./);
  });

  it('moves on after "anything else" goes unanswered instead of asking again', async () => {
    const s = session();
    const replies = await play(s, 'a large pepperoni pizza', 'hello', 'okay', 'yes');
    expect(replies[2]).toBe('Is that everything for your order?');
    expect(replies[3]).toBe('Can I get a name for the order?');
  });
});

describe('ScriptedDialog corrections', () => {
  it.each([
    ['actually make that two pepperoni'],
    ['change the pepperoni to two'],
    ['actually two pepperoni'],
    ['make it two pepperoni pizzas'],
  ])('"%s" changes the quantity instead of adding a line', async (correction) => {
    const s = session();
    await play(s, 'a large pepperoni pizza and a coke', correction);
    expect(s.tracker.order.lines).toEqual([
      { name: 'pepperoni pizza', size: 'large', quantity: 2 },
      { name: 'coke', size: null, quantity: 1 },
    ]);
  });

  it('a count heard as its soundalike ("make that want a small hawaiian pizza") changes the line it restates', async () => {
    const s = session();
    await play(s, 'two lemonades', 'and two cokes and three small hawaiian pizzas');
    const [reply] = await play(s, 'actually make that want a small hawaiian pizza');
    expect(reply).toMatch(/^A small hawaiian pizza, got it\./);
    expect(s.tracker.order.lines[2]).toEqual({ name: 'hawaiian pizza', size: 'small', quantity: 1 });
  });

  it.each([['maple the hawaiian pizza']])(
    'a change heard without what to change ("%s") is not acknowledged as done, and the order stays',
    async (garbled) => {
      const s = session();
      // as in the robustness call these came from
      await play(s, 'two lemonades', 'and two cokes and three small hawaiian pizzas');
      const [reply] = await play(s, garbled);
      expect(reply).toMatch(/^Sorry, I didn't catch the change\. I have three small hawaiian pizzas\. /);
      expect(reply).not.toContain('got it');
      expect(s.tracker.order.lines).toEqual([
        { name: 'lemonade', size: null, quantity: 2 },
        { name: 'coke', size: null, quantity: 2 },
        { name: 'hawaiian pizza', size: 'small', quantity: 3 },
      ]);
      await play(s, 'actually make that one small hawaiian pizza');
      expect(s.tracker.order.lines[2]?.quantity).toBe(1);
    },
  );

  it('a correction with another size changes the line rather than adding one', async () => {
    const s = session();
    const [, reply] = await play(s, 'a large pepperoni pizza', 'actually two medium pepperoni');
    expect(s.tracker.order.lines).toEqual([{ name: 'pepperoni pizza', size: 'medium', quantity: 2 }]);
    expect(reply).toBe('Two medium pepperoni pizzas, got it. Anything else?');
  });

  it('removes an item by its short name', async () => {
    const s = session();
    const [, reply] = await play(s, 'a large pepperoni pizza and a caesar salad', 'remove the salad');
    expect(s.tracker.order.lines).toEqual([{ name: 'pepperoni pizza', size: 'large', quantity: 1 }]);
    expect(reply).toBe("Okay, I've taken off the caesar salad. Anything else?");
  });

  it('splits a name and an address said in one answer', async () => {
    const s = session();
    const replies = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'peter johnson seventeen oak street',
    );
    expect(s.tracker.customer).toMatchObject({ name: 'Peter Johnson', address: '17 Oak Street' });
    expect(replies[2]).toBe(
      'Thanks, Peter Johnson. Got it, delivering to 17 Oak Street. And a phone number, in case the driver needs to reach you?',
    );
  });

  it('splits a name and an address volunteered with the order', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza, my name is peter johnson seventeen oak street');
    expect(s.tracker.customer).toMatchObject({ name: 'Peter Johnson', address: '17 Oak Street' });
  });

  it('corrects the name at a later question and goes on with that question', async () => {
    const s = session();
    const replies = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'emily live',
      'no, the name is sarah miller',
    );
    expect(s.tracker.customer.name).toBe('Sarah Miller');
    expect(replies[3]).toBe("Got it, the name is Sarah Miller. What's the delivery address?");
  });

  it('a bare number said for the address is not a quantity', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all", 'sarah', 'seventeen');
    expect(s.tracker.order.lines).toEqual([{ name: 'pepperoni pizza', size: 'large', quantity: 1 }]);
  });

  it('asks once for the house number of an address heard without one, and completes it', async () => {
    const s = session();
    const replies = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'sarah miller',
      'oak street',
      'seventeen',
    );
    expect(replies[3]).toBe("What's the house number on Oak Street?");
    expect(s.tracker.customer.address).toBe('17 Oak Street');
    expect(replies[4]).toBe('And a phone number, in case the driver needs to reach you?');
  });

  it('answers "do you have ..." about an item so that "one of those" orders it', async () => {
    const s = session();
    const replies = await play(s, 'do you have wings', "i'll take one of those");
    expect(replies[0]).toMatch(/^Yes, we have chicken wings\./);
    expect(s.tracker.order.lines).toEqual([{ name: 'chicken wings', size: null, quantity: 1 }]);
  });

  it('takes "no, remove the ..." said to the phone question as a change, and still asks for the phone', async () => {
    const s = session();
    await play(
      s,
      'a large pepperoni pizza and a coke',
      "that's all",
      'my name is maria lopez',
      '12 oak street',
    );
    const [reply] = await play(s, 'no, remove the coke');
    expect(s.tracker.order.lines.map((l) => l.name)).toEqual(['pepperoni pizza']);
    expect(reply).toBe(
      "Okay, I've taken off the coke. And a phone number, in case the driver needs to reach you?",
    );
  });

  it('asks for a phone number for delivery, and not when the caller already gave one', async () => {
    const asked = await play(
      session(),
      'a large pepperoni pizza',
      "that's all",
      'maria lopez',
      '12 oak street',
    );
    expect(asked[3]).toBe('And a phone number, in case the driver needs to reach you?');
    const s = session();
    const given = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'maria lopez, 555 321 4567',
      '12 oak street',
    );
    expect(given[3]).toMatch(/^Let me read that back/);
    expect(s.tracker.customer.phone).toBe('555-321-4567');
  });

  const toShortPhone = [
    'a large pepperoni pizza',
    "that's all",
    'maria lopez',
    '12 oak street my number is eight one five five nine five three',
  ];

  it('asks once more for a phone number heard short, saying what it caught, and takes the whole one', async () => {
    const s = session();
    const replies = await play(
      s,
      ...toShortPhone,
      'my number is six one seven eight one five five nine five three',
    );
    expect(replies[3]).toBe(
      'I only caught eight one five, five nine five three. Could you say the whole phone number, with the area code?',
    );
    expect(s.tracker.customer.phone).toBe('617-815-5953');
    expect(replies[4]).toMatch(/^Let me read that back/);
  });

  it('asks a number heard short a second time digit by digit, and leaves it out still short: never read back', async () => {
    const s = session();
    const short = 'my number is eight one five five nine five three';
    const replies = await play(s, ...toShortPhone, short, short);
    expect(replies[4]).toBe(REPAIR_QUESTIONS.phone);
    expect(replies[5]).toContain(`${PHONE_LEFT_OUT} Let me read that back`);
    expect(replies[5]).not.toMatch(/reach you|eight one five/);
    expect(s.tracker.customer.phone).toBeNull();
  });

  it('takes the rest of a number heard short, joined to the digits it caught', async () => {
    const s = session();
    const replies = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'maria lopez',
      '12 oak street',
      'six one seven',
      'eight one five five nine five three',
    );
    expect(replies[4]).toMatch(/^I only caught six one seven\./);
    expect(replies[5]).toContain(
      'The driver can reach you on six one seven, eight one five, five nine five three.',
    );
    expect(s.tracker.customer.phone).toBe('617-815-5953');
  });

  it('does not read back or keep a number heard short when the caller would rather skip it', async () => {
    const s = session();
    const replies = await play(s, ...toShortPhone, 'skip');
    expect(replies[4]).toMatch(/^Let me read that back/);
    expect(replies[4]).not.toMatch(/reach you|eight one five/);
    expect(s.tracker.customer.phone).toBeNull();
  });
});
