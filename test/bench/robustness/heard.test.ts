import { describe, expect, it } from 'vitest';
import { recordHeard } from '../../../bench/robustness/heard.ts';

describe('recordHeard', () => {
  it('keeps the text, the confidence to three decimals and the five alternatives the dialog reads', () => {
    const heard = {
      text: 'no i said thirty nine fifteen birch lane',
      confidence: 0.0234567,
      alternatives: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
    };
    expect(recordHeard(heard)).toEqual({
      text: 'no i said thirty nine fifteen birch lane',
      confidence: 0.023,
      alternatives: ['a', 'b', 'c', 'd', 'e'],
    });
  });
});
