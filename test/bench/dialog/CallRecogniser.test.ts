import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRecogniser } from '../../../bench/dialog/CallRecogniser.ts';
import { type Conversation, generateConversation } from '../../../bench/robustness/conversation.ts';
import type { Heard } from '../../../bench/robustness/heard.ts';

const agent = loadAgentFile(DEFAULT_AGENT_FILE);
const conversation = (index: number) =>
  generateConversation({ menu: agent.menu, knowledge: agent.knowledge, seed: 1 }, index);
/** flite kal, clean; and another caller: flite slt in 15 dB babble. */
const [kal, slt] = [conversation(0), conversation(4)];

let recogniser: CallRecogniser;
beforeAll(async () => {
  recogniser = await CallRecogniser.create(agent);
});
afterAll(async () => {
  await recogniser.close();
});

/** One call of `c` that hears its first `lines` order lines; what it heard. */
async function call(c: Conversation, lines: number): Promise<Heard[]> {
  const hearing = recogniser.call(c);
  try {
    const heard: Heard[] = [];
    for (const move of c.moves.slice(0, lines)) heard.push(await hearing.hear(move.text, agent.greeting));
    return heard;
  } finally {
    hearing.close();
    // the pause between two calls, in which the call's decoder is handed back
    await sleep(50);
  }
}

describe("bench:dialog's recogniser", () => {
  it('hears a call the same whichever calls it decoded before', async () => {
    expect(slt.voice.name).not.toBe(kal.voice.name);
    const first = await call(kal, 1);
    await call(slt, 2);
    const again = await call(kal, 1);
    expect(first[0]?.text).not.toBe('');
    expect(again).toEqual(first);
  });
});
