import { describe, expect, it } from 'vitest';
import { commonestSpelling, nearestKnownName, spellingDistance } from '../../src/nlu/knownNames.ts';

describe('nearestKnownName', () => {
  it('splits one run of letters into the first and last name it is nearest to', () => {
    expect(nearestKnownName(['maurentoward'])).toEqual(['lauren', 'howard']);
    expect(nearestKnownName(['williamrogers'])).toEqual(['william', 'rogers']);
  });

  it('lets one word of the name take more mishearings when the other was heard cleanly', () => {
    expect(nearestKnownName(['gloria', 'itughes'])).toEqual(['gloria', 'hughes']);
    expect(nearestKnownName(['timothywort'])).toEqual(['timothy', 'ward']);
    expect(nearestKnownName(['sarah', 'xqzvk'])).toBeUndefined();
  });

  it('matches letters split at a pause as first and last name', () => {
    expect(nearestKnownName(['denice', 'crawfort'])).toEqual(['denise', 'crawford']);
  });

  it('takes a single common name spelled alone as itself', () => {
    expect(nearestKnownName(['sarah'])).toEqual(['sarah']);
  });

  it('leaves letters too many mishearings from any common name as they are', () => {
    expect(nearestKnownName(['winrmarmbers'])).toBeUndefined();
    expect(nearestKnownName(['xqzvk'])).toBeUndefined();
  });
});

describe('spellingDistance', () => {
  it('counts a letter heard for one it rhymes with as half a mistake', () => {
    expect(spellingDistance('borothy', 'dorothy')).toBe(0.5);
    expect(spellingDistance('horothy', 'dorothy')).toBe(1);
    expect(spellingDistance('dorothy', 'dorothy')).toBe(0);
  });
});

describe('commonestSpelling', () => {
  it('spells each word of the name as the commonest spelling another hypothesis gives for it', () => {
    expect(commonestSpelling(['sophie', 'macdonald'], [['sophia', 'mcdonald']])).toEqual([
      'sophia',
      'mcdonald',
    ]);
    expect(commonestSpelling(['william', 'rodgers'], [['wm', 'rogers']])).toEqual(['william', 'rogers']);
  });

  it('keeps a word that no hypothesis spells otherwise, or where they hear another name', () => {
    expect(commonestSpelling(['maureen', 'castro'], [['marie', 'castro'], ['maureen']])).toEqual([
      'maureen',
      'castro',
    ]);
    expect(commonestSpelling(['rogers'], [])).toEqual(['rogers']);
    expect(commonestSpelling(['peter', 'robertson'], [['peter', 'roberts']])).toEqual(['peter', 'robertson']);
  });
});
