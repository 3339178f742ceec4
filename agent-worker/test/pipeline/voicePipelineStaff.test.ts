import { ScriptedDialog } from '@voiceroom/agent-core/dialog';
import { describe, expect, it } from 'vitest';
import { pizzeria } from '../../../packages/agent-core/test/nlu/pizzeria.ts';
import { createHarness, greeted, LONG_REPLY } from './harness.ts';

describe('VoicePipeline with human staff on the call', () => {
  it('takeover: muted, the agent stops and records caller turns without answering; unmuted it answers again', async () => {
    const h = await greeted();
    h.pipeline.setMuted(true);
    h.stt.utterances.push('hello is anyone there', 'one coke please');
    await h.run(800, 'speech');
    await h.run(800);
    expect(h.dialog.requests).toHaveLength(0);
    expect(h.pipeline.history.messages.at(-1)).toEqual({ role: 'user', content: 'hello is anyone there' });
    h.pipeline.setMuted(false);
    h.pipeline.addHint('offer garlic bread');
    await h.run(800, 'speech');
    await h.run(600);
    expect(h.dialog.requests).toHaveLength(1);
    expect(h.dialog.requests[0]?.input.hints).toEqual(['offer garlic bread']);
  });

  it("a co-pilot's whisper becomes a hint for the next reply, without interrupting or counting as the caller", async () => {
    const h = await greeted();
    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('I want a pizza');
    await h.run(800, 'speech');
    await h.run(800);
    expect(h.pipeline.state).toBe('speaking');
    const before = h.events.length;
    h.stt.utterances.push('offer them garlic bread');
    await h.run(800, 'whisper');
    await h.run(400);
    expect(h.pipeline.state).toBe('speaking');
    expect(h.events.slice(before).filter((e) => e.type !== 'transcript' || e.speaker !== 'agent')).toEqual(
      [],
    );
    await h.untilListening();
    h.dialog.reply = (text) => [{ type: 'text', text: `You said ${text}.` }];
    h.stt.utterances.push('what else');
    await h.run(800, 'speech');
    await h.run(600);
    expect(h.dialog.requests.at(-1)?.input).toMatchObject({
      userText: 'what else',
      hints: ['offer them garlic bread'],
    });
    expect(h.pipeline.history.messages.map((m) => m.content)).not.toContain('offer them garlic bread');
  });

  it("a human agent's speech is a human transcript, joins the history and the dialog state, and is never answered", async () => {
    const h = await greeted();
    const requestsBefore = h.dialog.requests.length;
    h.stt.utterances.push('I added a garlic bread for you');
    await h.run(1200, 'human');
    await h.run(600);
    const human = h.of('transcript').filter((e) => e.speaker === 'human');
    expect(human.filter((e) => e.final)).toEqual([
      expect.objectContaining({
        segmentId: 'human-0',
        text: 'I added a garlic bread for you',
        interrupted: false,
      }),
    ]);
    expect(human.every((e) => e.segmentId === 'human-0')).toBe(true);
    expect(h.of('transcript').some((e) => e.speaker === 'customer')).toBe(false);
    expect(h.dialog.requests).toHaveLength(requestsBefore);
    expect(h.dialog.heardFromHuman).toEqual(['I added a garlic bread for you']);
    expect(h.pipeline.state).toBe('listening');
    h.stt.utterances.push("that's all");
    await h.run(800, 'speech');
    await h.run(600);
    expect(h.dialog.requests.at(-1)?.input.history.slice(-2)).toEqual([
      { role: 'assistant', content: '[human agent] I added a garlic bread for you', speaker: 'human' },
      { role: 'user', content: "that's all" },
    ]);
  });

  it('reads back, after a takeover and handback, the item the human agent added for the caller', async () => {
    const h = createHarness({}, { realDialog: new ScriptedDialog({ config: pizzeria() }) });
    h.pipeline.start();
    await h.untilListening();
    const caller = async (text: string) => {
      h.stt.utterances.push(text);
      await h.run(800, 'speech');
      await h.run(1000);
      await h.untilListening();
    };
    await caller('a large pepperoni pizza');
    await caller('my name is ana');
    await caller('twelve oak street');
    await caller('five five five three two one four five six seven');
    h.pipeline.setMuted(true);
    h.stt.utterances.push('I added a garlic bread for you');
    await h.run(1200, 'human');
    await h.run(600);
    h.pipeline.setMuted(false);
    await caller("that's all");
    const agentFinals = h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
    expect(agentFinals.at(-1)?.text).toMatch(
      /^Let me read that back: a large pepperoni pizza and a garlic bread for Ana/,
    );
    expect(h.of('transcript').filter((t) => t.speaker === 'human' && t.final)).toHaveLength(1);
  });
});
