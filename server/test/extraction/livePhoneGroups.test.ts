import { ScriptedDialog } from '@voiceroom/agent-core/dialog';
import { describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../agent-worker/test/pipeline/harness.ts';
import { pizzeria } from '../../../packages/agent-core/test/nlu/pizzeria.ts';
import { RulesExtractor } from '../../src/extraction/rules/index.ts';
import type { TranscriptLine } from '../../src/extraction/schema.ts';

/** ScriptedStt hears a word per 300 ms of speech. */
const WORD_MS = 300;

async function say(h: Harness, text: string): Promise<void> {
  h.stt.utterances.push(text);
  await h.run(text.split(' ').length * WORD_MS + 100, 'speech');
}

/** The final transcript segments in spoken order, as the server stores them for extraction. */
function storedTranscript(h: Harness): TranscriptLine[] {
  return h
    .of('transcript')
    .filter((t) => t.final && t.speaker !== 'human')
    .sort((a, b) => a.startMs - b.startMs)
    .map((t) => ({ speaker: t.speaker as 'agent' | 'customer', text: t.text }));
}

const lastAgentLine = (h: Harness) => storedTranscript(h).findLast((l) => l.speaker === 'agent')?.text;

describe('a phone number said in two groups through the live pipeline', () => {
  it('is stored whole by post-call extraction, as the dialog heard it', { timeout: 30_000 }, async () => {
    const config = pizzeria();
    const h = createHarness({}, { realDialog: new ScriptedDialog({ config }) });
    h.pipeline.start();
    await h.untilListening();
    for (const answer of ['one large pepperoni pizza', 'that is all', 'maria lopez', 'twelve oak street']) {
      await say(h, answer);
      await h.run(1000);
      await h.untilListening();
    }
    expect(lastAgentLine(h)).toMatch(/phone number/);
    // a pause between the groups: the recogniser gives two finals, the turn waits for the rest of the number
    await say(h, 'my number is five one two five five five');
    await h.run(400);
    await say(h, 'zero one two three');
    await h.run(1000);
    await h.untilListening();

    const lines = storedTranscript(h);
    const caller = lines.filter((l) => l.speaker === 'customer').map((l) => l.text);
    expect(caller.slice(-2)).toEqual(['my number is five one two five five five', 'zero one two three']);
    expect(lastAgentLine(h)).toMatch(/read that back/);
    const stored = await new RulesExtractor({ menu: config.menu }).extract(
      lines,
      new AbortController().signal,
    );
    expect(stored.customer).toMatchObject({ name: 'Maria Lopez', phone: '512-555-0123' });
  });
});
