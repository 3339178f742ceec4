import { describe, expect, it } from 'vitest';
import { liveKitConnectSources, pageCsp } from '../../src/http/middleware/securityHeaders.ts';

const connectSrc = (policy: string) => policy.split('; ').find((d) => d.startsWith('connect-src'));

describe('page CSP', () => {
  it('lets the pages connect to their own origin only, unless media servers are named', () => {
    expect(connectSrc(pageCsp())).toBe("connect-src 'self'");
    expect(connectSrc(pageCsp(liveKitConnectSources('ws://127.0.0.1:7880')))).toBe(
      "connect-src 'self' ws://127.0.0.1:7880 http://127.0.0.1:7880",
    );
  });

  it('allows a TLS LiveKit URL over wss and https only, with its port and without its path', () => {
    expect(liveKitConnectSources('wss://media.example.com/livekit')).toEqual([
      'wss://media.example.com',
      'https://media.example.com',
    ]);
    expect(liveKitConnectSources('wss://media.example.com:7443')).toEqual([
      'wss://media.example.com:7443',
      'https://media.example.com:7443',
    ]);
  });
});
