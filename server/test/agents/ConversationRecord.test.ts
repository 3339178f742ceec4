import { MAX_RESUME_LINES, type TranscriptEvent } from '@voiceroom/protocol';
import { describe, expect, it } from 'vitest';
import { ConversationRecord } from '../../src/agents/ConversationRecord.ts';
import { CallEventBus } from '../../src/CallEventBus.ts';

const line = (
  segmentId: string,
  speaker: TranscriptEvent['speaker'],
  text: string,
  startMs: number,
  final = true,
): TranscriptEvent => ({
  roomId: 'room-1',
  segmentId,
  speaker,
  text,
  final,
  startMs,
  endMs: startMs + 500,
  interrupted: false,
});

function record() {
  const bus = new CallEventBus();
  const conversations = new ConversationRecord(bus);
  conversations.agentDispatched('room-1');
  return { bus, conversations };
}

describe('ConversationRecord', () => {
  it('gives the final lines in call order, a final replacing its partials', () => {
    const { bus, conversations } = record();
    bus.emit('transcript', line('customer-0', 'customer', 'two large', 2_000, false));
    bus.emit('transcript', line('agent-0', 'agent', 'Hi there.', 0));
    bus.emit('transcript', line('customer-0', 'customer', 'two large pepperoni pizzas', 2_000));
    bus.emit('transcript', line('customer-1', 'customer', 'and a', 5_000, false));
    expect(conversations.resume('room-1')?.transcript).toEqual([
      { speaker: 'agent', text: 'Hi there.' },
      { speaker: 'customer', text: 'two large pepperoni pizzas' },
    ]);
  });

  it('continues the call clock past its last line and counts resumes', () => {
    const { bus, conversations } = record();
    bus.emit('transcript', line('agent-0', 'agent', 'Hi there.', 90_000));
    const first = conversations.resume('room-1');
    expect(first?.callMs).toBeGreaterThan(90_500);
    expect(first?.resumes).toBe(1);
    expect(conversations.resume('room-1')?.resumes).toBe(2);
  });

  it('keeps the newest lines of a long call, at most MAX_RESUME_LINES', () => {
    const { bus, conversations } = record();
    for (let i = 0; i < MAX_RESUME_LINES * 3; i++)
      bus.emit('transcript', line(`customer-${i}`, 'customer', `line ${i}`, i * 1_000));
    const transcript = conversations.resume('room-1')?.transcript ?? [];
    expect(transcript).toHaveLength(MAX_RESUME_LINES);
    expect(transcript.at(-1)?.text).toBe(`line ${MAX_RESUME_LINES * 3 - 1}`);
  });

  it('cuts an agent reply that never ended once, and forgets the room when it closes', () => {
    const { bus, conversations } = record();
    bus.emit('transcript', line('agent-1', 'agent', 'Two large', 4_000, false));
    expect(conversations.cutAgentLines('room-1').map((c) => c.text)).toEqual(['Two large']);
    expect(conversations.cutAgentLines('room-1')).toEqual([]);
    expect(conversations.resume('room-1')?.transcript).toEqual([{ speaker: 'agent', text: 'Two large' }]);
    bus.emit('room.closed', { roomId: 'room-1', reason: 'done' });
    expect(conversations.resume('room-1')).toBeUndefined();
  });

  it('records nothing for rooms no agent was dispatched to', () => {
    const bus = new CallEventBus();
    const conversations = new ConversationRecord(bus);
    bus.emit('transcript', { ...line('agent-0', 'agent', 'Hi.', 0), roomId: 'other' });
    expect(conversations.resume('other')).toBeUndefined();
  });
});
