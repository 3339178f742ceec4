import { describe, expect, it } from 'vitest';
import { asksLastName, lacksLastName, withLastName } from '../../src/nlu/lastName.ts';
import { orderAfter } from './trackerAfter.ts';

/** The name a tracker holds after the agent said each line and the caller answered it (at the name question). */
function nameAfter(...exchange: Array<[agent: string, caller: string]>): string | null {
  const tracker = orderAfter();
  for (const [agent, caller] of exchange) {
    tracker.noteAgentTurn(agent);
    tracker.hear(caller, 'name');
  }
  return tracker.customer.name;
}

describe('a first name completed by its last name', () => {
  it('takes a word answering "And your last name?" as the last name of the first name held', () => {
    const first: [string, string] = ['Can I get a name for the order?', "it's teresa"];
    expect(nameAfter(first, ['Thanks, Teresa. And your last name?', 'smith'])).toBe('Teresa Smith');
    expect(nameAfter(first, ['Thanks, Teresa. And your last name?', "uh it's smith"])).toBe('Teresa Smith');
    expect(nameAfter(first, ['Thanks, Teresa. And your last name?', 'my last name is smith'])).toBe(
      'Teresa Smith',
    );
  });

  it('takes "my last name is ..." as the last name even when nobody asked for it', () => {
    expect(nameAfter(['Can I get a name?', 'james'], ["What's the address?", 'my last name is rogers'])).toBe(
      'James Rogers',
    );
  });

  it('takes the whole name said again as heard, and the first name said again as the first name', () => {
    const first: [string, string] = ['Can I get a name for the order?', "it's teresa"];
    const ask = 'Thanks, Teresa. And your last name?';
    expect(nameAfter(first, [ask, 'my name is theresa smith'])).toBe('Theresa Smith');
    expect(nameAfter(first, [ask, "it's theresa"])).toBe('Theresa');
    expect(nameAfter(first, [ask, 'teresa'])).toBe('Teresa');
  });

  it('a name given afresh without a word of the last name replaces the one held', () => {
    expect(nameAfter(['Can I get a name?', 'james'], ['Got it. Anything else?', 'the name is maria'])).toBe(
      'Maria',
    );
  });

  it('a surname held alone is no first name to complete', () => {
    expect(lacksLastName('Garcia')).toBe(false);
    expect(lacksLastName('Teresa')).toBe(true);
    expect(lacksLastName('James')).toBe(true);
    expect(lacksLastName('Zephyrine')).toBe(true);
    expect(lacksLastName('Teresa Smith')).toBe(false);
    expect(withLastName('Garcia', 'Maria', ['my', 'last', 'name', 'is', 'maria'], true)).toBe('Maria');
  });

  it("hears the last name asked for only in the agent's last question", () => {
    expect(asksLastName('Thanks, Teresa. And your last name?')).toBe(true);
    expect(asksLastName("Got it, the last name is Smith. What's the delivery address?")).toBe(false);
    expect(asksLastName('Can I get a name for the order?')).toBe(false);
  });

  it('a short last name is not taken for the first name said again ("Joe Lee")', () => {
    expect(nameAfter(['Can I get a name?', 'joe'], ['Thanks, Joe. And your last name?', 'lee'])).toBe(
      'Joe Lee',
    );
  });
});

describe('a whole name corrected in part', () => {
  const readBack =
    'Let me read that back: a coke for Tina Black, delivered to 12 Oak Street. Shall I place the order?';
  const corrected = (said: string) =>
    nameAfter(['Can I get a name?', 'my name is tina black'], [readBack, said]);

  it('keeps the last name when the correction was heard as a first name alone', () => {
    expect(corrected('no my name is james')).toBe('James Black');
  });

  it('keeps the first name when the caller corrects the last name', () => {
    expect(corrected('no the last name is garcia')).toBe('Tina Garcia');
  });

  it('takes a whole name, or a surname alone, as heard', () => {
    expect(corrected('no my name is james brown')).toBe('James Brown');
    expect(corrected('no the name is garcia')).toBe('Garcia');
  });
});
