import { defaultAgent } from '@voiceroom/agent-core/agents';
import { HOUSE_NUMBER_BY_DIGIT, REPAIR_QUESTIONS } from '@voiceroom/agent-core/dialog';
import { describe, expect, it } from 'vitest';
import {
  type Conversation,
  generateConversation,
  type OrderLine,
} from '../../../bench/robustness/conversation.ts';
import {
  classifyAgentAsk,
  isLoop,
  readBackCorrection,
  ScriptedCaller,
} from '../../../bench/robustness/ScriptedCaller.ts';

const agent = defaultAgent();
const conversations = Array.from({ length: 40 }, (_, i) =>
  generateConversation({ menu: agent.menu, knowledge: agent.knowledge, seed: 11 }, i),
);
const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const said = (caller: ScriptedCaller, reply: string) => caller.answer(reply)?.utterance.segments.join(' ');

describe('what the agent asks for', () => {
  it.each([
    [agent.greeting, 'order'],
    ['Two cokes, got it. Anything else?', 'more'],
    ['What size would you like for the pepperoni pizza: small, medium or large?', 'size'],
    ['Thanks. Can I get a name for the order?', 'name'],
    ["Sorry, I didn't get that. What's the delivery address?", 'address'],
    ["What's a good phone number for you?", 'phone'],
    [`Sorry about that. ${REPAIR_QUESTIONS.phone}`, 'phone'],
    [
      'Let me read that back: a coke for Ann Lee. Your total is two dollars fifty. Shall I place the order?',
      'confirm',
    ],
    [
      'Great, your order is placed. Delivery usually takes thirty to forty minutes. Thanks for your order. Goodbye!',
      'placed',
    ],
    ["I'm sorry, I'm having trouble understanding. Let me get a person to help you.", 'handoff'],
    ["I'm sorry this is taking a while. Would you like me to get a person to help you?", 'offer'],
    ['Did you say Sarah Miller?', 'check'],
    [
      "Sorry, I didn't get that. What's the street address, with the house number and the street name?",
      'address',
    ],
    ["What's the house number on Oak Street?", 'address'],
    ['Three small margherita pizzas, got it. What else can I get you?', 'more'],
    ["Sorry, I didn't get that. Just yes or no: is that all correct?", 'confirm'],
    ['We are open from eleven in the morning.', 'other'],
    ['Sure, which pizza would you like? We have pepperoni, margherita, hawaiian and veggie.', 'which'],
  ])('"%s" asks for %s', (reply, ask) => {
    expect(classifyAgentAsk(reply)).toBe(ask);
  });
});

describe('the scripted caller', () => {
  const withMoves = conversations.find((c) => c.moves.length >= 2) as Conversation;

  it('says the order moves in turn while the agent asks for more, then that it is done', () => {
    const caller = new ScriptedCaller(withMoves);
    const lines = withMoves.moves.map(() => said(caller, 'Anything else?'));
    expect(lines).toEqual(withMoves.moves.map((m) => m.text.segments.join(' ')));
    expect(said(caller, 'Would you like anything else?')).toBe(withMoves.done.segments.join(' '));
  });

  it('answers the question asked, whatever order the agent asks in, and repeats itself when asked again', () => {
    const c = conversations.find((x) => !x.nameWithAddress && !x.phoneWithAddress) as Conversation;
    const caller = new ScriptedCaller(c);
    expect(said(caller, "What's the delivery address?")).toContain(c.address);
    expect(said(caller, "Sorry, I didn't get that. What's the delivery address?")).toContain(c.address);
    expect(said(caller, 'Can I get a name for the order?')).toContain(c.name);
    expect(said(caller, "What's your phone number?")).toMatch(/\d \d \d, \d \d \d, \d \d \d \d/);
    expect(said(caller, 'Shall I place the order?')).toBe(c.yes.segments.join(' '));
  });

  it('gives name and address in one answer when the conversation says so, with a pause between', () => {
    const c = conversations.find((x) => x.nameWithAddress) as Conversation;
    const turn = new ScriptedCaller(c).answer('Can I get a name for the order?');
    expect(turn?.utterance.segments.join(' ')).toContain(c.name);
    expect(turn?.utterance.segments.join(' ')).toContain(c.address);
    expect(turn?.utterance.pausesMs.length).toBeGreaterThan(0);
  });

  it('answers a size question with the size it meant for that item', () => {
    const c = conversations.find((x) => x.moves.some((m) => m.kind === 'add' && m.sayNoSize)) as Conversation;
    const move = c.moves.find((m) => m.kind === 'add' && m.sayNoSize);
    const line = move?.kind === 'add' ? move.lines[0] : undefined;
    const reply = `What size would you like for the ${line?.name}: small, medium or large?`;
    expect(said(new ScriptedCaller(c), reply)).toContain(line?.size as string);
  });

  it('talks over the read-back once (after giving the address) when the conversation has a backchannel or barge-in', () => {
    const c = conversations.find((x) => x.overlap !== 'none' && !x.nameWithAddress) as Conversation;
    const caller = new ScriptedCaller(c);
    expect(caller.answer('Can I get a name for the order?')?.overlapNext).toBe(false);
    expect(caller.answer("What's the delivery address?")?.overlapNext).toBe(true);
    expect(caller.answer("What's the delivery address?")?.overlapNext).toBe(false);
    const over = caller.overlap().segments.join(' ');
    expect(over).toBe((c.overlap === 'barge' ? c.bargeIn.text : c.backchannel).segments.join(' '));
  });

  it('ends when the order is placed or the agent hands off', () => {
    const caller = new ScriptedCaller(withMoves);
    expect(caller.answer('Great, your order is placed. Thanks for your order. Goodbye!')).toBeUndefined();
    expect(caller.answer('Let me get a person to help you.')).toBeUndefined();
  });
});

describe('the scripted caller when it was not understood', () => {
  const c = conversations.find((x) => x.moves.length >= 2) as Conversation;
  const first = c.moves[0]?.text.segments.join(' ') ?? '';

  it.each([
    [
      'says the same line again instead of moving on to the next order move',
      ["Sorry, I didn't get that. What would you like to order?"],
      [first],
    ],
    [
      "says an order move again after saying no to the agent's check of it (its order was lost)",
      ['Did you say eleven cokes?', 'Sorry about that. What would you like to order?'],
      ['no', first],
    ],
    [
      'says its last line again when asked which one of a kind it meant (its item was lost)',
      ['Sure, which pizza would you like? We have pepperoni and veggie.'],
      [first],
    ],
    ['goes on after saying yes to the check of an order move', [`Did you say ${first}?`], ['yes']],
  ])('%s, then says its next move', (_, replies, answers) => {
    const caller = new ScriptedCaller(c);
    expect(said(caller, agent.greeting)).toBe(first);
    expect(replies.map((r) => said(caller, r))).toEqual(answers);
    expect(said(caller, 'Anything else?')).toBe(c.moves[1]?.text.segments.join(' '));
  });
});

describe('the scripted caller when the agent checks or offers', () => {
  const c = conversations.find((x) => !x.nameWithAddress) as Conversation;

  it('says yes when the agent heard it right and no when it did not', () => {
    const caller = new ScriptedCaller(c);
    said(caller, 'Can I get a name for the order?');
    expect(said(caller, `Did you say ${c.name}?`)).toBe('yes');
    expect(said(caller, 'Did you say Zebulon Quartz?')).toBe('no');
  });

  it('hears its house number read digit by digit as its own, and another number as wrong', () => {
    const caller = new ScriptedCaller(c);
    said(caller, "What's the delivery address?");
    const [house = '', ...street] = c.address.split(' ');
    const digits = (n: string) => [...n].map((d) => DIGIT_NAMES[Number(d)]).join(' ');
    expect(said(caller, `Did you say ${digits(house)} ${street.join(' ')}?`)).toBe('yes');
    const other = String((Number(house) + 1) * 10);
    expect(said(caller, `Did you say ${digits(other)} ${street.join(' ')}?`)).toBe('no');
  });

  it('says its house number digit by digit, then the street, when asked for it so', () => {
    const caller = new ScriptedCaller(c);
    const [house = '', ...street] = c.address.split(' ');
    const digits = [...house].map((d) => DIGIT_NAMES[Number(d)]).join(' ');
    expect(said(caller, `Sorry about that. ${HOUSE_NUMBER_BY_DIGIT}`)).toMatch(
      new RegExp(`^it's ${digits} ${street.join(' ')}`),
    );
  });

  it('says its phone number digit by digit, without the pauses of its groups, when asked for it so', () => {
    const caller = new ScriptedCaller(c);
    expect(said(caller, 'And a phone number, in case the driver needs to reach you?')).toMatch(/, /);
    expect(said(caller, `Sorry about that. ${REPAIR_QUESTIONS.phone}`)).toBe(
      `my number is ${[...c.phone].join(' ')}`,
    );
  });

  it('spells its name letter by letter when asked to, first and last name apart', () => {
    const caller = new ScriptedCaller(c);
    const turn = caller.answer('Sorry about that. Could you spell your name for me, letter by letter?');
    const [first, last] = c.name.split(' ');
    expect(turn?.ask).toBe('spell');
    expect(turn?.utterance.segments).toEqual([first, last].map((p) => p?.toUpperCase().split('').join(' ')));
    expect(turn?.utterance.pausesMs).toHaveLength(1);
  });

  it('hears a name read back without its space as its own ("Did you say Williamrogers?")', () => {
    const caller = new ScriptedCaller(c);
    expect(said(caller, `Did you say ${c.name.replace(' ', '')}?`)).toBe('yes');
  });

  it('says yes to a read-back of the order it meant, and corrects one that is not', () => {
    const caller = new ScriptedCaller(c);
    const readBack = 'Let me read that back: ... Shall I place the order?';
    expect(caller.answer(readBack, { readBack: c.intended.items })?.utterance.segments.join(' ')).toBe(
      c.yes.segments.join(' '),
    );
    const wrong = [...c.intended.items, { name: 'coke', size: null, quantity: 7 }];
    const fix = caller.answer(readBack, { readBack: wrong })?.utterance.segments.join(' ');
    expect(fix).toMatch(/^no, /);
    // heard only as "no": asked what to change, it says the change again
    const asked = caller.answer('Sorry about that. What would you like to change?');
    expect(`no, ${asked?.utterance.segments.join(' ')}`).toBe(fix);
  });

  it('says its change again when the agent asks to place the order without saying it took it', () => {
    const caller = new ScriptedCaller(c);
    const wrong = [...c.intended.items, { name: 'coke', size: null, quantity: 7 }];
    const readBackWrong = 'Let me read that back: ... Shall I place the order?';
    const fix = caller.answer(readBackWrong, { readBack: wrong })?.utterance.segments.join(' ');
    expect(fix).toMatch(/^no, /);
    expect(said(caller, 'So, shall I place the order?')).toBe(fix);
    const readBack = caller.answer('Let me read that back: ... Shall I place the order?', {
      readBack: c.intended.items,
    });
    expect(readBack?.utterance).toEqual(c.yes);
    expect(said(caller, 'Shall I place the order?')).toBe(c.yes.segments.join(' '));
  });

  it.each([
    [[{ name: 'coke', size: null, quantity: 2 }], 'make that one coke'],
    [
      [
        { name: 'coke', size: null, quantity: 1 },
        { name: 'caesar salad', size: null, quantity: 1 },
      ],
      'remove the caesar salad',
    ],
    [[], 'add a coke'],
  ])('puts the first thing wrong in a read-back the way a caller does (%j)', (readBack, fix) => {
    const one = {
      ...conversations[0],
      intended: { ...conversations[0]?.intended, items: [{ name: 'coke', size: null, quantity: 1 }] },
    } as Conversation;
    expect(readBackCorrection(readBack, one)).toBe(fix);
    expect(readBackCorrection(one.intended.items, one)).toBeUndefined();
  });

  it('takes off the size it never asked for when the read-back has its item in two sizes', () => {
    const want = { name: 'margherita pizza', size: 'large', quantity: 3 };
    const c3 = {
      ...conversations[0],
      intended: { ...conversations[0]?.intended, items: [want] },
    } as Conversation;
    const readBack = [{ ...want, size: 'small' }, want];
    expect(readBackCorrection(readBack, c3)).toBe('remove the small margherita pizzas');
  });

  it('objects to an item the agent says it took that the caller never asked for, then goes on', () => {
    const caller = new ScriptedCaller(c);
    const stranger = agent.menu.items.find((i) => !JSON.stringify([c.moves, c.bargeIn]).includes(i.name));
    if (!stranger) throw new Error('the conversation names every menu item');
    const misheard = { name: stranger.name, size: null, quantity: 7 };
    expect(said(caller, 'What can I get for you today?')).toBe(c.moves[0]?.text.segments.join(' '));
    const objection = caller.answer('Seven of those, got it. Anything else?', { acknowledged: [misheard] });
    expect(objection?.utterance.segments.join(' ')).toBe(`no, remove the ${stranger.name}`);
    const ownLines = c.moves[0]?.kind === 'add' ? c.moves[0].lines : [];
    const next = caller.answer('Got it. Anything else?', { acknowledged: ownLines });
    expect(next?.utterance.segments.join(' ')).toBe((c.moves[1]?.text ?? c.done).segments.join(' '));
  });

  it('orders again what the agent heard as only items it never asked for, once they are taken off', () => {
    const caller = new ScriptedCaller(c);
    const stranger = agent.menu.items.find((i) => !JSON.stringify([c.moves, c.bargeIn]).includes(i.name));
    if (!stranger) throw new Error('the conversation names every menu item');
    const first = said(caller, 'What can I get for you today?');
    const misheard = { name: stranger.name, size: null, quantity: 4 };
    const sized = caller.answer('Four of those, got it. What size would you like?', {
      acknowledged: [misheard],
    });
    expect(sized?.utterance.segments.join(' ')).toBe(`no, remove the ${stranger.name}`);
    expect(said(caller, `Okay, I've taken off the ${stranger.name}. What would you like to order?`)).toBe(
      first,
    );
    expect(said(caller, 'Got it. Anything else?')).toBe((c.moves[1]?.text ?? c.done).segments.join(' '));
  });

  it('says yes to a check of order lines it means, said this turn or before, and no to another count or size', () => {
    const want = [
      { name: 'coke', size: null, quantity: 1 },
      { name: 'pepperoni pizza', size: 'large', quantity: 2 },
    ];
    const meaning = { ...c, intended: { ...c.intended, items: want } };
    const caller = new ScriptedCaller(meaning);
    said(caller, 'Can I get a name for the order?');
    const check = (reply: string, checked: OrderLine[]) =>
      caller.answer(reply, { checked })?.utterance.segments.join(' ');
    expect(check('Did you say a coke?', [want[0] as OrderLine])).toBe('yes');
    expect(check('Did you say two pepperoni pizzas?', [{ ...(want[1] as OrderLine), size: null }])).toBe(
      'yes',
    );
    expect(check('Did you say two cokes?', [{ name: 'coke', size: null, quantity: 2 }])).toBe('no');
    expect(
      check('Did you say two small pepperoni pizzas?', [{ ...(want[1] as OrderLine), size: 'small' }]),
    ).toBe('no');
  });

  it('says yes to taking off an item it does not want, whenever it asked for that, and no to one it wants', () => {
    const want = [{ name: 'coke', size: null, quantity: 1 }];
    const caller = new ScriptedCaller({ ...c, intended: { ...c.intended, items: want } });
    said(caller, 'Can I get a name for the order?');
    const other = agent.menu.items.find((i) => i.name !== 'coke')?.name;
    expect(said(caller, `Did you say remove the ${other}?`)).toBe('yes');
    expect(said(caller, 'Did you say remove the coke?')).toBe('no');
  });

  it('says no to taking off an item it asked for and still wants, though it changes it later', () => {
    const hawaiian = { name: 'hawaiian pizza', size: 'medium', quantity: 1 };
    const add = { kind: 'add' as const, lines: [hawaiian], sayNoSize: false, text: c.done };
    const swap = {
      kind: 'swap' as const,
      from: 'hawaiian pizza',
      to: { ...hawaiian, name: 'veggie pizza' },
      text: c.done,
    };
    const caller = new ScriptedCaller({
      ...c,
      moves: [add, swap],
      intended: { ...c.intended, items: [swap.to] },
    });
    said(caller, agent.greeting);
    expect(said(caller, 'Did you say remove the hawaiian pizza?')).toBe('no');
    // its add said again (the check it refused lost it), then the swap
    said(caller, 'Anything else?');
    said(caller, 'Anything else?');
    expect(said(caller, 'Did you say remove the hawaiian pizza?')).toBe('yes');
  });

  it('declines a person and goes on with the order', () => {
    const caller = new ScriptedCaller(c);
    expect(said(caller, 'Would you like me to get a person to help you?')).toMatch(/^no\b/);
    expect(said(caller, 'Anything else?')).toBe(c.moves[0]?.text.segments.join(' '));
  });

  it('after "sorry, I didn\'t get that" answers a new question instead of repeating the last line', () => {
    const caller = new ScriptedCaller(c);
    said(caller, 'Can I get a name for the order?');
    expect(said(caller, "Sorry, I didn't get that. What's the delivery address?")).toContain(c.address);
  });
});

describe('a loop', () => {
  const turn = (ask: 'more' | 'address', text: string) => ({
    ask,
    utterance: { segments: [text], pausesMs: [] },
    overlapNext: false,
  });

  it('is the same question answered with the same line three times in a row', () => {
    const address = turn('address', "it's 12 Oak Street");
    expect(isLoop([address, address])).toBe(false);
    expect(isLoop([turn('more', 'a coke'), address, address, address])).toBe(true);
  });

  it('is not the agent asking for more while the caller keeps adding items', () => {
    expect(isLoop([turn('more', 'a coke'), turn('more', 'two wings'), turn('more', 'remove the coke')])).toBe(
      false,
    );
  });
});
