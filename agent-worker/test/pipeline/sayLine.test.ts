import { HANDOFF_UNANSWERED } from '@voiceroom/agent-core/dialog';
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.ts';

describe('VoicePipeline say', () => {
  it('speaks the line the server sends when nobody took the handoff, records it as heard, then listens again', async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    const played = h.played.filter((p) => p.audio).length;
    h.pipeline.say(HANDOFF_UNANSWERED);
    await h.untilListening();
    expect(h.played.filter((p) => p.audio).length).toBeGreaterThan(played);
    expect(h.of('transcript').findLast((t) => t.speaker === 'agent' && t.final)).toMatchObject({
      text: HANDOFF_UNANSWERED,
      interrupted: false,
    });
    expect(h.pipeline.history.messages.at(-1)).toEqual({ role: 'assistant', content: HANDOFF_UNANSWERED });
    // The call goes on: the caller's next words are answered as usual.
    h.stt.utterances.push('one coke please');
    await h.run(800, 'speech');
    await h.run(600);
    expect(h.dialog.requests.at(-1)?.input.userText).toBe('one coke please');
  });
});
