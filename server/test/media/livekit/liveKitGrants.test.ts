import { grantsForRole } from '@voiceroom/protocol';
import { TrackSource } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { liveKitAgentGrant, liveKitVideoGrant } from '../../../src/media/livekit/liveKitGrants.ts';
import { renderNodeConfig } from '../../../src/media/livekit/nodeConfig.ts';

describe('liveKitVideoGrant', () => {
  it('lets customers and human agents speak from a microphone and hear, visible to all', () => {
    for (const role of ['customer', 'human_agent'] as const) {
      expect(liveKitVideoGrant('call-1', grantsForRole(role))).toEqual({
        roomJoin: true,
        room: 'call-1',
        canPublish: true,
        canPublishSources: [TrackSource.MICROPHONE],
        canSubscribe: true,
        canPublishData: false,
        canUpdateOwnMetadata: false,
        hidden: false,
      });
    }
  });

  it('hides supervisors, who may publish only for their whisper', () => {
    expect(liveKitVideoGrant('call-1', grantsForRole('supervisor', { listenOnly: true }))).toMatchObject({
      canPublish: true,
      canSubscribe: true,
      hidden: true,
    });
  });

  it('lets a listen-only customer publish nothing at all', () => {
    const grant = liveKitVideoGrant('call-1', grantsForRole('customer', { listenOnly: true }));
    expect(grant.canPublish).toBe(false);
    expect(grant.canPublishSources).toBeUndefined();
  });

  it('joins the AI agent visibly, as an agent, to one room', () => {
    expect(liveKitAgentGrant('call-2')).toMatchObject({ room: 'call-2', canPublish: true, agent: true });
    expect(liveKitAgentGrant('call-2').hidden).toBeUndefined();
  });
});

describe('renderNodeConfig', () => {
  const keys = { apiKey: 'k1', apiSecret: 's'.repeat(32) };

  it('writes a standalone loopback node: keys, ports, no TCP fallback, no TURN, no Redis', () => {
    const config = JSON.parse(renderNodeConfig({ port: 7880, rtcPortRange: [50_000, 50_099], keys }));
    expect(config).toMatchObject({
      port: 7880,
      bind_addresses: ['127.0.0.1'],
      rtc: {
        port_range_start: 50_000,
        port_range_end: 50_099,
        tcp_port: 0,
        use_external_ip: false,
        node_ip: '127.0.0.1',
      },
      keys: { k1: keys.apiSecret },
      turn: { enabled: false },
    });
    expect(config.redis).toBeUndefined();
    expect(config.webhook).toBeUndefined();
  });

  it('joins a cluster through Redis and signs webhooks with the API key', () => {
    const config = JSON.parse(
      renderNodeConfig({
        port: 7881,
        rtcPortRange: [50_100, 50_199],
        keys,
        redis: { address: '127.0.0.1:6379', db: 12 },
        webhookUrls: ['http://127.0.0.1:3000/api/livekit/webhook'],
      }),
    );
    expect(config.redis).toEqual({ address: '127.0.0.1:6379', db: 12 });
    expect(config.webhook).toEqual({ api_key: 'k1', urls: ['http://127.0.0.1:3000/api/livekit/webhook'] });
  });

  it('serves Prometheus metrics only on a port it is given', () => {
    expect(
      JSON.parse(renderNodeConfig({ port: 7880, rtcPortRange: [50_000, 50_099], keys })),
    ).not.toHaveProperty('prometheus_port');
    const config = JSON.parse(
      renderNodeConfig({ port: 7880, rtcPortRange: [50_000, 50_099], keys, prometheusPort: 7914 }),
    );
    expect(config.prometheus_port).toBe(7914);
  });

  it('refuses an inverted port range', () => {
    expect(() => renderNodeConfig({ port: 7880, rtcPortRange: [50_100, 50_000], keys })).toThrow(RangeError);
  });
});
