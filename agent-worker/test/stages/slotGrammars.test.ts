import { describe, expect, it } from 'vitest';
import { chooseReading, fitsGrammar } from '../../src/stages/stt/grammar/chooseReading.ts';
import { buildSlotGrammars } from '../../src/stages/stt/grammar/slotGrammars.ts';
import { YES_NO_ANSWERS } from '../../src/stages/stt/lm/slotCorpus.ts';
import { fsgAccepts, fsgProbability } from './fixtures/fsgAccepts.ts';

describe('slot grammars', () => {
  const { grammars, words } = buildSlotGrammars();

  it('a phone number is accepted said any way: digits, "oh", "double"/"triple", a carrier phrase, a hesitation', () => {
    for (const said of [
      'five five five one two three four',
      'four one five five five five one two one two',
      'my number is four one five double five triple two oh one',
      'sure my phone number is um two oh six five five five oh one nine nine thanks',
      "it's one eight oh oh five five five one two three four",
    ])
      expect(fsgAccepts(grammars.phone, said), said).toBe(true);
  });

  it('a phone number with a digit too many or too few, or other words, is not', () => {
    for (const said of [
      'five five',
      'five five five one two',
      'five five five one two three four five',
      'four one five five five five one two one',
      'four one five five five five one two one two three four',
      'four one five double five one two one two',
      'no remove the coke',
      'my number is',
    ])
      expect(fsgAccepts(grammars.phone, said), said).toBe(false);
  });

  it('reads one group of a number said in groups: three, four or six digits, with a lead-in or a closing', () => {
    for (const said of [
      'my number is four one five',
      'five five five',
      'oh one four two thanks',
      'double five one two',
      "it's four one five five five five",
    ])
      expect(fsgAccepts(grammars.phone, said), said).toBe(true);
  });

  it('makes a hesitation before the digits or a closing word after them less likely than any one digit', () => {
    const probabilities = (word: string) =>
      grammars.phone
        .split('\n')
        .filter((l) => l.startsWith('TRANSITION') && l.endsWith(` ${word}`))
        .map((l) => Number(l.split(' ')[3]));
    const leastDigit = Math.min(...probabilities('five'));
    for (const optional of ['um', 'er', 'please', 'thanks'])
      expect(Math.max(...probabilities(optional)), optional).toBeLessThan(leastDigit);
  });

  it.each([
    ['you can reach me at', ''],
    ['okay my cell is', 'thank you very much'],
    ['call me at', "that's my number"],
    ['the best number is', "that's it"],
  ])('hears the lead-in %j and the closing %j callers put around a number as words', (leadIn, closing) => {
    const said = `${leadIn} four one five five five five oh one four two ${closing}`.trim();
    expect(fsgAccepts(grammars.phone, said)).toBe(true);
  });

  it('never lets a closing buy a shorter number: the last three digits weigh more than seven and "thank you"', () => {
    const whole = fsgProbability(grammars.phone, 'four one five five five five oh one four two');
    const shortThanked = fsgProbability(grammars.phone, 'four one five five five five oh thank you');
    const short = fsgProbability(grammars.phone, 'four one five five five five oh');
    expect(whole / shortThanked).toBeGreaterThan(10);
    // a local number is still heard, with or without its closing
    expect(short).toBeGreaterThan(0);
    expect(shortThanked).toBeGreaterThan(0);
  });

  it('counts the digits the agent asks for', () => {
    const sevenOnly = buildSlotGrammars({ phoneDigitCounts: [7] }).grammars.phone;
    expect(fsgAccepts(sevenOnly, 'five five five one two three four')).toBe(true);
    expect(fsgAccepts(sevenOnly, 'four one five five five five one two one two')).toBe(false);
  });

  it('a spelled name: letters, "double s", first and last name, a carrier phrase', () => {
    for (const said of [
      's a r a h',
      "it's a double l e n",
      'j o h n s m i t h',
      'okay my name is b o b thanks',
    ])
      expect(fsgAccepts(grammars.name, said), said).toBe(true);
    for (const said of ['sarah', 'my name is sarah miller', 'double'])
      expect(fsgAccepts(grammars.name, said), said).toBe(false);
  });

  it('yes/no: every answer the yes/no slot model knows, after a hesitation too', () => {
    for (const answer of YES_NO_ANSWERS) {
      const said = answer.replace(/[^a-z' ]/g, '');
      expect(fsgAccepts(grammars.yesno, said), said).toBe(true);
      expect(fsgAccepts(grammars.yesno, `um ${said}`), said).toBe(true);
    }
    expect(fsgAccepts(grammars.yesno, 'yes and add a coke')).toBe(false);
  });

  it('hears a listed name whole: its spelling far likelier than letters a rhyming letter away', () => {
    const names = buildSlotGrammars({
      spelledNames: [
        ['sarah', 'dorothy'],
        ['compton', 'allen'],
      ],
    }).grammars.name;
    const ratio = (listed: string, misheard: string) =>
      fsgProbability(names, listed) / fsgProbability(names, misheard);
    expect(ratio('d o r o t h y', 'b o r o t h y')).toBeGreaterThan(1000);
    expect(ratio('c o m p t o n', 'c o m p t o m')).toBeGreaterThan(1000);
    expect(ratio('a double l e n', 'a double l e m')).toBeGreaterThan(1000);
    // first and last name in one breath
    expect(ratio('s a r a h c o m p t o n', 's a r a h c o m p t o m')).toBeGreaterThan(1000);
  });

  it('weighs a listed name by its rank in its list', () => {
    const names = buildSlotGrammars({
      spelledNames: [['mary', ...Array.from({ length: 998 }, () => 'x'), 'mark']],
    }).grammars.name;
    expect(fsgProbability(names, 'm a r y')).toBeGreaterThan(5 * fsgProbability(names, 'm a r k'));
  });

  it('still spells a name in no list letter by letter', () => {
    const names = buildSlotGrammars({ spelledNames: [['sarah', 'dorothy']] }).grammars.name;
    for (const said of ['x q z', 'z o l t a n', 'b o r o t h y', 'd o r o t h y k w a s n i e w s k i'])
      expect(fsgAccepts(names, said), said).toBe(true);
  });

  it('an address: the house number in full, in pairs or digit by digit, a street name, its kind, an apartment', () => {
    for (const said of [
      'four thousand six hundred twenty two willow drive',
      "it's three thousand two hundred and forty nine pine court",
      'forty six twenty two oak avenue',
      'the address is twenty nine oh three cedar boulevard',
      'seventeen north main street',
      'one two one seven birch lane apartment twelve',
      'okay twelve hundred lincoln way',
      'five eighty spruce road my phone number is four one five five five five one two one two',
      'four thousand two elm street thanks',
    ])
      expect(fsgAccepts(grammars.address, said), said).toBe(true);
  });

  it('an address grammar takes the house number alone, as asked for it, with no phone number after it', () => {
    for (const said of ["it's two seven one seven", 'twenty seven seventeen please', 'four thousand six'])
      expect(fsgAccepts(grammars.address, said), said).toBe(true);
    expect(fsgAccepts(grammars.address, 'two seven one seven my phone number is four one five')).toBe(false);
  });

  it('an address grammar takes no other answer, and no number beyond the house number', () => {
    for (const said of [
      'no remove the coke',
      'a large pepperoni pizza',
      'four thousand six hundred twenty two oak street one two',
      'oak street four thousand',
      'four thousand thousand oak street',
    ])
      expect(fsgAccepts(grammars.address, said), said).toBe(false);
  });

  it("lists each grammar's words and nothing of the grammar format", () => {
    expect(words.phone).toEqual(
      expect.arrayContaining(['oh', 'zero', 'nine', 'double', 'triple', 'my', 'number']),
    );
    expect(words.name).toEqual(expect.arrayContaining(['a', 'q', 'z', 'double']));
    expect(words.yesno).toEqual(expect.arrayContaining(['yes', 'nope', "that's"]));
    expect(words.address).toEqual(expect.arrayContaining(['thousand', 'hundred', 'oh', 'street', 'maple']));
    for (const list of Object.values(words)) for (const w of list) expect(w).toMatch(/^[a-z']+$/);
  });
});

describe('choosing between the slot model and the grammar', () => {
  const digits = new Set(buildSlotGrammars().words.phone);
  const open = (text: string, alternatives: string[] = []) => ({ text, confidence: 0.4, alternatives });
  const grammar = (text: string) => ({ text, confidence: 0.9, alternatives: [] });

  it("takes the grammar's digits when the slot model heard digits too, its own reading kept as an alternative", () => {
    const chosen = chooseReading(
      open('my number is five five nine to one two three four five six', ['my number is five nine']),
      grammar('my number is five five nine two one two three four five six'),
      digits,
      5,
    );
    expect(chosen.text).toBe('my number is five five nine two one two three four five six');
    expect(chosen.alternatives).toEqual([
      'my number is five five nine to one two three four five six',
      'my number is five nine',
    ]);
    expect(chosen.confidence).toBe(0.4);
  });

  it('keeps an off-script answer and does not offer the forced digits beside it', () => {
    const heard = open('no remove the coke', ['no remove a coke']);
    const chosen = chooseReading(heard, grammar('oh two oh five five five one two three four'), digits, 5);
    expect(chosen).toEqual(heard);
  });

  it('keeps the slot model reading when the grammar heard nothing or did not run', () => {
    const heard = open('five five five one two three four');
    expect(chooseReading(heard, undefined, digits, 5)).toEqual(heard);
    expect(chooseReading(heard, grammar(''), digits, 5)).toEqual(heard);
  });

  it('a few words outside the grammar among many of its own still fit; mostly others do not', () => {
    expect(fitsGrammar('five five nine to one two three four', digits)).toBe(true);
    expect(fitsGrammar('it is for one for', digits)).toBe(false);
    expect(fitsGrammar('', digits)).toBe(false);
  });

  it("takes the grammar's group after the number's first groups even where the slot model heard it as words", () => {
    const heard = open("i'd like five");
    const chosen = chooseReading(heard, grammar('five five five'), digits, 5, 3);
    expect(chosen.text).toBe('five five five');
    expect(chosen.alternatives).toEqual(["i'd like five"]);
    // the first group, with nothing held, is no reason to doubt the slot model
    expect(chooseReading(heard, grammar('five five five'), digits, 5, 0)).toEqual(heard);
  });

  it("takes the grammar's whole number where the slot model heard its first groups as order words", () => {
    const heard = open("i want to i'd like five three one eight nine");
    const chosen = chooseReading(
      heard,
      grammar('five one two five five five three one eight nine'),
      digits,
      5,
    );
    expect(chosen.text).toBe('five one two five five five three one eight nine');
    expect(chosen.alternatives).toEqual(["i want to i'd like five three one eight nine"]);
  });

  it('keeps the slot model reading beside a whole number no caller could have, or with no run of digits of its own', () => {
    const heard = open("i want to i'd like five three one eight nine");
    // an exchange starting with 1 breaks the numbering plan
    expect(
      chooseReading(heard, grammar('six one two one five five five seven eight seven'), digits, 5),
    ).toEqual(heard);
    // the digits the slot model heard are not in the grammar's number: noise the grammar made a number of
    const noise = open('nine nine two one hmm three five nine nine zero i want a medium veggie');
    expect(
      chooseReading(noise, grammar('one nine nine one eight five five five zero nine seven'), digits, 5),
    ).toEqual(noise);
    const order = open("michael i'd like five orders of the wings");
    expect(
      chooseReading(order, grammar('five one two five five five three one eight nine'), digits, 5),
    ).toEqual(order);
  });

  it('keeps the slot model reading that holds a whole number of its own among other words', () => {
    const heard = open(
      'my number is five one two five five five three one eight nine and could you add a large coke to that',
    );
    expect(
      chooseReading(heard, grammar('five one two five five five three one eight nine'), digits, 5),
    ).toEqual(heard);
  });

  it('keeps the slot model reading after held groups when it heard no number, or the grammar more digits than fit', () => {
    const offScript = open('no remove the coke');
    expect(chooseReading(offScript, grammar('oh two oh'), digits, 5, 3)).toEqual(offScript);
    const heard = open("i'd like five");
    expect(
      chooseReading(heard, grammar('four one five five five five oh one four two'), digits, 5, 6),
    ).toEqual(heard);
  });
});
