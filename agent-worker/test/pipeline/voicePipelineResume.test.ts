import { ScriptedDialog } from '@voiceroom/agent-core/dialog';
import type { SessionResume } from '@voiceroom/protocol';
import { describe, expect, it } from 'vitest';
import { pizzeria } from '../../../packages/agent-core/test/nlu/pizzeria.ts';
import { RESUMED, RESUMED_OPEN } from '../../src/pipeline/resumedCall.ts';
import { createHarness } from './harness.ts';

const RESUME: SessionResume = {
  resumes: 2,
  callMs: 30_000,
  nextTurn: 4,
  transcript: [
    { speaker: 'agent', text: 'Hello there. How can I help?' },
    { speaker: 'customer', text: 'two large pepperoni pizzas' },
    { speaker: 'agent', text: 'Two large pepperoni' },
  ],
};

describe('VoicePipeline taking a call over from a lost agent', () => {
  it('does not greet: it says it is back and asks where they were, with the call so far in its history', async () => {
    const h = createHarness({}, { resume: RESUME });
    h.pipeline.start();
    await h.untilListening();
    const agent = h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
    expect(agent.map((t) => t.text)).toEqual([`${RESUMED} ${RESUMED_OPEN}`]);
    expect(h.pipeline.history.messages.slice(0, 3)).toEqual([
      { role: 'assistant', content: 'Hello there. How can I help?' },
      { role: 'user', content: 'two large pepperoni pizzas' },
      { role: 'assistant', content: 'Two large pepperoni' },
    ]);
  });

  it("continues the call's transcript: segment ids apart from the earlier agents', times and turn numbers after theirs", async () => {
    const h = createHarness({}, { resume: RESUME });
    h.pipeline.start();
    await h.untilListening();
    h.stt.utterances.push('and a coke');
    await h.run(1000, 'speech');
    await h.run(400);
    await h.untilListening();
    const finals = h.of('transcript').filter((t) => t.final);
    expect(finals.map((t) => t.segmentId)).toEqual(['r2-agent-0', 'r2-customer-0', 'r2-agent-1']);
    for (const t of finals) expect(t.startMs).toBeGreaterThanOrEqual(RESUME.callMs);
    expect(h.of('turn.metrics').map((m) => m.turn)).toEqual([4]);
    expect(h.dialog.requests[0]?.input.history.map((m) => m.content)).toContain('two large pepperoni pizzas');
  });

  it('asks the question where the order stands when the dialog can tell (scripted dialog)', async () => {
    const h = createHarness({}, { resume: RESUME, realDialog: new ScriptedDialog({ config: pizzeria() }) });
    h.pipeline.start();
    await h.untilListening();
    const [opening] = h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
    expect(opening?.text).toBe(`${RESUMED} Would you like anything else?`);
  });
});
