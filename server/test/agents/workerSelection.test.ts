import { describe, expect, it } from 'vitest';
import { pickLeastLoaded } from '../../src/agents/workerSelection.ts';

describe('pickLeastLoaded', () => {
  it('picks the lowest load ratio, not the fewest calls', () => {
    const workers = [
      { id: 'a', capacity: 2, active: 1 },
      { id: 'b', capacity: 10, active: 3 },
    ];
    expect(pickLeastLoaded(workers)?.id).toBe('b');
  });

  it('skips full workers and returns null when all are full', () => {
    expect(
      pickLeastLoaded([
        { id: 'a', capacity: 1, active: 1 },
        { id: 'b', capacity: 4, active: 3 },
      ])?.id,
    ).toBe('b');
    expect(pickLeastLoaded([{ id: 'a', capacity: 1, active: 1 }])).toBeNull();
    expect(pickLeastLoaded([])).toBeNull();
  });

  it('breaks ties by larger capacity, then by id', () => {
    expect(
      pickLeastLoaded([
        { id: 'a', capacity: 2, active: 0 },
        { id: 'b', capacity: 8, active: 0 },
      ])?.id,
    ).toBe('b');
    expect(
      pickLeastLoaded([
        { id: 'z', capacity: 2, active: 0 },
        { id: 'c', capacity: 2, active: 0 },
      ])?.id,
    ).toBe('c');
  });
});
