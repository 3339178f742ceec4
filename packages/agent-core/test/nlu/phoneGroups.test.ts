import { describe, expect, it } from 'vitest';
import { continuePhone, correctedGroup } from '../../src/nlu/phoneGroups.ts';

const words = (text: string) => text.split(' ');

describe('continuePhone', () => {
  it('joins the digits held and the group just said into the whole number', () => {
    expect(continuePhone('512555', words('five three five four'))).toBe('512-555-5354');
    expect(continuePhone('512-5555', words('three five four'))).toBe('512-555-5354');
    expect(continuePhone('1512555', words('five three five four'))).toBe('1-512-555-5354');
  });

  it('holds a group short of a whole number for the next one', () => {
    expect(continuePhone(null, words('my number is five one two'))).toBe('512');
    expect(continuePhone('512', words('five five five'))).toBe('512555');
  });

  it('takes a number said again in full over the digits held', () => {
    expect(continuePhone('512-5555', words('five one two five five five five three five four'))).toBe(
      '512-555-5354',
    );
    expect(continuePhone('512-555-5354', words('six one seven eight one five five nine five three'))).toBe(
      '617-815-5953',
    );
  });

  it('takes a number started over from the area code for itself, not as the rest of the digits held', () => {
    expect(continuePhone('53189', words('i want to five three one'))).toBeUndefined();
    expect(continuePhone('512', words('my number is five one two five five five one'))).toBe('512-5551');
    expect(continuePhone('512555', words('five one two five five five three'))).toBe('512-5553');
  });

  it('places no answer without a digit group, nor a short group that would overshoot', () => {
    expect(continuePhone('512555', words('yes that is right'))).toBeUndefined();
    expect(continuePhone('512555', words('one two'))).toBeUndefined();
    expect(continuePhone('5125555', words('three five four four'))).toBeUndefined();
  });
});

describe('correctedGroup', () => {
  it('replaces the group of the number held that the caller names', () => {
    expect(correctedGroup('617-555-1234', words('no the last four digits are four three two one'))).toBe(
      '617-555-4321',
    );
    expect(correctedGroup('617-555-1234', words('the area code is five one two'))).toBe('512-555-1234');
    expect(correctedGroup('1-617-555-1234', words('it ends in nine nine eight seven'))).toBe(
      '1-617-555-9987',
    );
  });

  it('leaves a number alone when the group said has the wrong length, or no whole number is held', () => {
    expect(correctedGroup('617-555-1234', words('the area code is five one'))).toBeUndefined();
    expect(correctedGroup('617-555', words('the last four are one two three four'))).toBeUndefined();
    expect(correctedGroup('617-555-1234', words('no make that two pizzas'))).toBeUndefined();
  });
});
