import type { TranscriptEvent } from '@voiceroom/sdk';
import { describe, expect, it } from 'vitest';
import { CaptionLog } from '../src/CaptionLog.ts';

const event = (over: Partial<TranscriptEvent>): TranscriptEvent => ({
  roomId: 'r',
  segmentId: 's1',
  speaker: 'customer',
  text: '',
  final: false,
  startMs: 0,
  endMs: 0,
  interrupted: false,
  ...over,
});

describe('CaptionLog', () => {
  it('replaces the partial text of a segment and settles it with the final', () => {
    const log = new CaptionLog();
    log.apply(event({ text: 'I would' }));
    log.apply(event({ text: 'I would like a' }));
    log.apply(event({ text: 'I would like a pizza', final: true }));
    expect(log.lines).toEqual([
      { segmentId: 's1', speaker: 'customer', text: 'I would like a pizza', final: true, interrupted: false },
    ]);
  });

  it('keeps both sides in arrival order', () => {
    const log = new CaptionLog();
    log.apply(event({ segmentId: 'c1', text: 'hello', final: true }));
    log.apply(event({ segmentId: 'a1', speaker: 'agent', text: 'Hi! What can I get you?', final: true }));
    log.apply(event({ segmentId: 'c2', text: 'a large' }));
    expect(log.lines.map((l) => `${l.speaker}:${l.text}:${l.final}`)).toEqual([
      'customer:hello:true',
      'agent:Hi! What can I get you?:true',
      'customer:a large:false',
    ]);
  });

  it('ignores a partial that arrives after the final of its segment', () => {
    const log = new CaptionLog();
    log.apply(event({ text: 'two pizzas', final: true }));
    expect(log.apply(event({ text: 'two' }))).toBeUndefined();
    expect(log.lines[0]?.text).toBe('two pizzas');
  });

  it('marks an agent reply cut by barge-in with only what the caller heard', () => {
    const log = new CaptionLog();
    log.apply(
      event({
        segmentId: 'a1',
        speaker: 'agent',
        text: 'Our specials today are',
        final: true,
        interrupted: true,
      }),
    );
    expect(log.lines[0]).toMatchObject({ text: 'Our specials today are', interrupted: true });
  });

  it('drops the oldest lines beyond its limit and skips empty partials', () => {
    const log = new CaptionLog(2);
    expect(log.apply(event({ segmentId: 'x', text: '  ' }))).toBeUndefined();
    for (const id of ['a', 'b', 'c']) log.apply(event({ segmentId: id, text: id, final: true }));
    expect(log.lines.map((l) => l.segmentId)).toEqual(['b', 'c']);
  });
});
