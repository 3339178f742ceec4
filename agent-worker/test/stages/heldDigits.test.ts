import { describe, expect, it } from 'vitest';
import { readInContext } from '../../src/stages/stt/grammar/chooseReading.ts';
import { digitsOf, digitsSaid, HeldDigits } from '../../src/stages/stt/grammar/heldDigits.ts';

describe('the digits of a number said in groups', () => {
  it('counts the digits a reading says, "double" and "triple" as the digits they stand for', () => {
    expect(digitsSaid('my number is four one five')).toBe(3);
    expect(digitsSaid('double five oh triple two')).toBe(6);
    expect(digitsSaid('thank you')).toBe(0);
  });

  it('reads the digits a reading says, "oh" as zero', () => {
    expect(digitsOf('my number is double five oh triple two nine')).toBe('5502229');
  });

  /** The digits held after each of `readings` heard at the phone question. */
  const heldAfter = (readings: string[], held = new HeldDigits()) =>
    readings.map((text) => {
      held.heard(text);
      return held.count;
    });

  it('holds the groups heard at the phone question until they make a whole number', () => {
    expect(heldAfter(['my number is four one five', 'five five five', 'oh one four two'])).toEqual([3, 6, 0]);
    // words without digits leave them; a whole number said at once is never held
    expect(heldAfter(['four one five', 'yes', 'four one five five five five oh one four two'])).toEqual([
      3, 3, 0,
    ]);
  });

  it('drops them when the agent asks for another slot', () => {
    const held = new HeldDigits();
    heldAfter(['four one five'], held);
    held.expect('phone');
    expect(held.count).toBe(3);
    held.expect('yesno');
    expect(held.count).toBe(0);
  });
});

describe('reading a group in the context of the groups held', () => {
  const reading = (text: string, alternatives: string[]) => ({ text, confidence: 0.5, alternatives });

  it("takes the grammar's best hypothesis with as many digits as the number's next group has", () => {
    // nothing held: the area code comes first, not four digits
    expect(readInContext(reading('six oh one seven', ['six one seven']), 0).text).toBe('six one seven');
    // the area code and exchange held: the last four
    expect(readInContext(reading('four one one', ['five four one one']), 6).text).toBe('five four one one');
    // a whole number said at once stands
    const whole = 'four one five five five five oh one four two';
    expect(readInContext(reading(whole, []), 0).text).toBe(whole);
  });

  it('in the middle of a number takes a hypothesis without a lead-in, and the best one when none fits', () => {
    expect(readInContext(reading("it's seven seven three", ['seven seven three']), 3).text).toBe(
      'seven seven three',
    );
    expect(readInContext(reading('five five', ['nine nine']), 3)).toEqual(reading('five five', []));
    // the whole number said again after its first group: not a shorter reading of it
    const again = 'my number is four one five five five five oh one four two';
    expect(readInContext(reading(again, ['four one five five five five oh']), 3).text).toBe(again);
  });
});

describe('reading a number by the North American numbering plan', () => {
  const reading = (text: string, alternatives: string[]) => ({ text, confidence: 0.5, alternatives });

  it('takes a hypothesis close behind whose area code and exchange start 2-9 over one that breaks the plan', () => {
    const misheard = 'oh two one eight oh five five five oh nine';
    const dialable = 'two one two eight oh five five five oh nine';
    expect(readInContext(reading(misheard, [dialable]), 0).text).toBe(dialable);
    // with the country code: the plan is read after the 1
    const longMisheard = 'one oh eight one five five nine oh two five oh';
    const longDialable = 'one three oh three five five five two four oh two';
    expect(readInContext(reading(longMisheard, [longDialable]), 0).text).toBe(longDialable);
  });

  it('judges a group by where it sits in the number: area code, exchange, or the last four', () => {
    // first, an area code
    expect(readInContext(reading('one two five', ['two two five']), 0).text).toBe('two two five');
    // after the area code, an exchange
    expect(readInContext(reading('oh five five', ['five five five']), 3).text).toBe('five five five');
    // seven digits first are a local number, its exchange first
    expect(
      readInContext(reading('one five five oh four five four', ['five five five oh four five four']), 0).text,
    ).toBe('five five five oh four five four');
    // the last four may start with anything
    expect(readInContext(reading('oh four five four', ['two four five four']), 6).text).toBe(
      'oh four five four',
    );
  });

  it("keeps the decoder's best when no hypothesis fits the plan: the dialog asks again", () => {
    expect(readInContext(reading('oh two one', ['one two one']), 0).text).toBe('oh two one');
  });
});
