import { describe, expect, it } from 'vitest';
import { SampleFifo } from '../../src/audio/SampleFifo.ts';

describe('SampleFifo', () => {
  it('hands samples out oldest first, across pushes that outgrow its buffer', () => {
    const fifo = new SampleFifo(2);
    fifo.push(Int16Array.of(1, 2, 3));
    fifo.push(Int16Array.of(4, 5));
    const first = new Int16Array(4);
    expect(fifo.shiftInto(first)).toBe(4);
    expect([...first]).toEqual([1, 2, 3, 4]);
    fifo.push(Int16Array.of(6));
    const rest = new Int16Array(2);
    fifo.shiftInto(rest);
    expect([...rest]).toEqual([5, 6]);
    expect(fifo.length).toBe(0);
  });

  it('moves only what it holds, from the place asked, and leaves the rest of the target as it was', () => {
    const fifo = new SampleFifo(8);
    fifo.push(Int16Array.of(7, 8));
    const target = new Int16Array(5);
    expect(fifo.shiftInto(target, 2)).toBe(2);
    expect([...target]).toEqual([0, 0, 7, 8, 0]);
  });

  it('drops what it holds when cleared', () => {
    const fifo = new SampleFifo(4);
    fifo.push(Int16Array.of(1, 2));
    fifo.clear();
    fifo.push(Int16Array.of(3));
    const out = new Int16Array(2);
    expect(fifo.shiftInto(out)).toBe(1);
    expect([...out]).toEqual([3, 0]);
  });
});
