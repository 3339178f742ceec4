import { defaultAgent } from '@voiceroom/agent-core/agents';
import { describe, expect, it } from 'vitest';
import { detailsReadBack } from '../../../bench/robustness/CallerCorrections.ts';
import { type Conversation, generateConversation } from '../../../bench/robustness/conversation.ts';
import { ScriptedCaller } from '../../../bench/robustness/ScriptedCaller.ts';

const agent = defaultAgent();
const conversations = Array.from({ length: 40 }, (_, i) =>
  generateConversation({ menu: agent.menu, knowledge: agent.knowledge, seed: 11 }, i),
);
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const spoken = (digits: string) =>
  [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)]
    .map((g) => [...g].map((d) => DIGIT_WORDS[Number(d)]).join(' '))
    .join(', ');

/** The agent's read-back of conversation `c`'s order with the details given. */
function readBack(c: Conversation, details: { name?: string; address?: string; phone?: string }): string {
  const name = details.name ?? c.name;
  const address = details.address ?? c.address;
  const phone = details.phone ?? c.phone;
  return (
    `Let me read that back: a coke for ${name}, delivered to ${address}. ` +
    `The driver can reach you on ${spoken(phone)}. Your total is two dollars. Shall I place the order?`
  );
}

const c = conversations.find((x) => x.phone.slice(6) !== '9999') as Conversation;

function answer(caller: ScriptedCaller, reply: string): string | undefined {
  return caller.answer(reply, { readBack: c.intended.items })?.utterance.segments.join(' ');
}

describe('the scripted caller checks its details in the read-back', () => {
  it('reads the name, address and phone digits the agent says back', () => {
    expect(detailsReadBack(readBack(c, {}))).toEqual({ name: c.name, address: c.address, phone: c.phone });
  });

  it('says yes when they are right as heard: case, punctuation and "St" for "Street" do not matter', () => {
    const lenient = readBack(c, {
      name: c.name.toUpperCase().replace(' ', '-'),
      address: c.address.replace(/ Street$/, ' St').replace(/ Avenue$/, ' Ave'),
    });
    expect(answer(new ScriptedCaller(c), lenient)).toBe(c.yes.segments.join(' '));
  });

  it('hears a house number read digit by digit as the number: says yes to it, and corrects another', () => {
    const [house = '', ...street] = c.address.split(' ');
    const byDigit = (digits: string) =>
      `${[...digits].map((d) => DIGIT_WORDS[Number(d)]).join(' ')} ${street.join(' ')}`;
    expect(answer(new ScriptedCaller(c), readBack(c, { address: byDigit(house) }))).toBe(
      c.yes.segments.join(' '),
    );
    const other = house.replace(/^\d/, (d) => String((Number(d) + 1) % 10));
    expect(answer(new ScriptedCaller(c), readBack(c, { address: byDigit(other) }))).toBe(
      `no, the address is ${c.address}`,
    );
  });

  it('hears a doubled digit of a house number as said: says yes to it read digit by digit, corrects it read once', () => {
    const doubled: Conversation = { ...c, address: '4622 Harbor Road' };
    const said = (address: string) =>
      new ScriptedCaller(doubled).answer(readBack(doubled, { address }), { readBack: c.intended.items })
        ?.utterance;
    expect(said('four six two two Harbor Road')).toEqual(c.yes);
    expect(said('462 Harbor Road')?.segments.join(' ')).toBe('no, the address is 4622 Harbor Road');
  });

  it('corrects a wrong name in other words than its first answer, then lets it go after two tries', () => {
    const caller = new ScriptedCaller(c);
    const wrong = readBack(c, { name: 'Sara Millar' });
    const first = answer(caller, wrong);
    expect(first).toMatch(new RegExp(`^no, (the|my) name is ${c.name}$`));
    expect(answer(caller, wrong)).toBe(`no, that's not my name, my name is ${c.name}`);
    expect(answer(caller, wrong)).toBe(c.yes.segments.join(' '));
  });

  it('corrects one wrong group of the phone number by naming it, then the whole number', () => {
    const caller = new ScriptedCaller(c);
    const wrong = readBack(c, { phone: `${c.phone.slice(0, 6)}9999` });
    const last4 = c.phone.slice(6).split('').join(' ');
    expect(answer(caller, wrong)).toBe(`no, the last four digits are ${last4}`);
    expect(answer(caller, wrong)).toBe(`no, my phone number is ${c.phone.split('').join(' ')}`);
  });

  it('corrects the address, and the first detail wrong before the next', () => {
    const caller = new ScriptedCaller(c);
    const wrong = readBack(c, { address: '12 Tea Oak Street', phone: '4155550000' });
    expect(answer(caller, wrong)).toBe(`no, the address is ${c.address}`);
    expect(answer(caller, readBack(c, { phone: '4155550000' }))).toMatch(/^no, the number is /);
  });

  it('makes no more than three detail corrections in a call', () => {
    const caller = new ScriptedCaller(c);
    const wrong = readBack(c, { name: 'Sara Millar', address: '12 Tea Oak Street' });
    const said = Array.from({ length: 5 }, () => answer(caller, wrong));
    expect(said.filter((s) => s?.startsWith('no, '))).toHaveLength(3);
    expect(said.at(-1)).toBe(c.yes.segments.join(' '));
  });

  it('asked to confirm again without a read-back, says its correction once more in other words, then lets it go', () => {
    const caller = new ScriptedCaller(c);
    expect(answer(caller, readBack(c, { address: '12 Tea Oak Street' }))).toBe(
      `no, the address is ${c.address}`,
    );
    expect(
      caller.answer("Sorry, I didn't get that. Shall I place the order?")?.utterance.segments.join(' '),
    ).toBe(`no, I said ${c.address}`);
    expect(caller.answer('So, shall I place the order?')?.utterance).toEqual(c.yes);
  });

  it('lets a wrong detail go late in a long call', () => {
    const caller = new ScriptedCaller(c);
    for (let i = 0; i < 12; i++) caller.answer('Anything else?');
    expect(answer(caller, readBack(c, { name: 'Sara Millar' }))).toBe(c.yes.segments.join(' '));
  });

  it('hears a name spelled another way but said the same as its own', () => {
    const katherine: Conversation = { ...c, name: 'Katherine McDonald' };
    const caller = new ScriptedCaller(katherine);
    const reply = readBack(katherine, { name: 'Catherine Macdonald' });
    expect(caller.answer(reply, { readBack: c.intended.items })?.utterance).toEqual(c.yes);
    expect(
      new ScriptedCaller(katherine)
        .answer(readBack(katherine, { name: 'Kathleen McDonald' }), { readBack: c.intended.items })
        ?.utterance.segments.join(' '),
    ).toMatch(/^no, /);
  });
});
