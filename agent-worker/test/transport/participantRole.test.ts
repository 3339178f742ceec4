import { describe, expect, it } from 'vitest';
import { inboundAudioInfo } from '../../src/transport/livekit/participantRole.ts';

const meta = (role: string) => JSON.stringify({ role, name: 'N' });

describe('inboundAudioInfo', () => {
  it('takes the role from the metadata, and a whisper track as staff-only', () => {
    expect(inboundAudioInfo({ identity: 'staff:u1', metadata: meta('supervisor') }, 'whisper')).toEqual({
      peerId: 'staff:u1',
      role: 'supervisor',
      audience: 'staff',
    });
    expect(inboundAudioInfo({ identity: 'x', metadata: meta('customer') }, 'mic').audience).toBe('everyone');
  });

  it('falls back to the identity prefix when the metadata is missing or not ours', () => {
    expect(inboundAudioInfo({ identity: 'customer:p1', metadata: '' }, 'mic').role).toBe('customer');
    expect(inboundAudioInfo({ identity: 'staff:u2', metadata: 'not json' }, 'mic').role).toBe('human_agent');
    expect(inboundAudioInfo({ identity: 'agent:s1', metadata: '{"role":"dj"}' }, 'agent-voice').role).toBe(
      'agent_ai',
    );
    expect(inboundAudioInfo({ identity: 'guest', metadata: '' }, 'mic').role).toBe('unknown');
  });

  it('hears only the dispatched customer as the customer when one is named', () => {
    const other = { identity: 'customer:intruder', metadata: meta('customer') };
    expect(inboundAudioInfo(other, 'mic', 'customer:p1').role).toBe('unknown');
    expect(inboundAudioInfo({ identity: 'customer:p1', metadata: '' }, 'mic', 'customer:p1').role).toBe(
      'customer',
    );
  });
});
