import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/signaling/clientAddress.ts';

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientAddress('10.0.0.9', '1.2.3.4', { trustProxy: false, proxyHops: 1 })).toBe('10.0.0.9');
  });

  it('believes only the entries our proxies appended, whatever a client put in front', () => {
    const proxy = { trustProxy: true, proxyHops: 1 };
    expect(clientAddress('10.0.0.9', '6.6.6.6, 7.7.7.7, 203.0.113.5', proxy)).toBe('203.0.113.5');
    expect(
      clientAddress('10.0.0.9', ['6.6.6.6', '203.0.113.5, 10.0.0.2'], { trustProxy: true, proxyHops: 2 }),
    ).toBe('203.0.113.5');
  });

  it('falls back to the socket address without a forwarded chain', () => {
    expect(clientAddress('10.0.0.9', undefined, { trustProxy: true, proxyHops: 1 })).toBe('10.0.0.9');
    expect(clientAddress('10.0.0.9', ' , ', { trustProxy: true, proxyHops: 1 })).toBe('10.0.0.9');
  });
});
