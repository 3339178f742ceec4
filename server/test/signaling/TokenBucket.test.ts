import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/signaling/TokenBucket.ts';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 3, perSecond: 2, now: () => now });
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 499;
    expect(bucket.take()).toBe(false);
    now += 1;
    expect(bucket.take()).toBe(true);
    now += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('rejects settings that would never allow a request', () => {
    expect(() => new TokenBucket({ burst: 0, perSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ burst: 1, perSecond: 0 })).toThrow(RangeError);
  });
});
