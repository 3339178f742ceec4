import { defaultAgent } from '@voiceroom/agent-core/agents';
import type { DialogSession } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { type Hear, runDialogCall } from '../../../bench/dialog/dialogCall.ts';
import { summarizeDialogCalls } from '../../../bench/dialog/summary.ts';
import { generateConversation } from '../../../bench/robustness/conversation.ts';

const agent = defaultAgent();
const conversation = generateConversation({ menu: agent.menu, knowledge: agent.knowledge, seed: 1 }, 0);
/** A recogniser that hears every line exactly as said. */
const perfect: Hear = async (u) => ({ text: u.segments.join(' '), alternatives: [], confidence: 1 });

/** A dialog that says `replies` in turn, then the last one for ever. */
function fixedDialog(replies: readonly string[]): DialogSession & { heard: string[] } {
  const heard: string[] = [];
  let turn = 0;
  return {
    heard,
    async *respond(input) {
      heard.push(input.userText);
      yield { type: 'text', text: replies[Math.min(turn++, replies.length - 1)] as string };
    },
    close() {},
  };
}

const run = (session: DialogSession, hear: Hear = perfect) =>
  runDialogCall(conversation, { session, greeting: agent.greeting, menu: agent.menu, hear });

describe('a dialog call between the scripted caller and a dialog session', () => {
  it('gives the dialog what the recogniser heard and records what was said, heard and replied', async () => {
    const hear: Hear = async () => ({ text: 'misheard', alternatives: ['other'], confidence: 0.2 });
    const session = fixedDialog(['Great, your order is placed. Goodbye!']);
    const call = await run(session, hear);
    expect(session.heard).toEqual(['misheard']);
    expect(call.transcript).toEqual([
      {
        caller: conversation.moves[0]?.text.segments.join(' … '),
        heard: 'misheard',
        alternatives: ['other'],
        confidence: 0.2,
        agent: 'Great, your order is placed. Goodbye!',
      },
    ]);
    expect(call.outcome).toBe('placed');
  });

  it('ends as a loop when the caller answers the same question the same way three times', async () => {
    const call = await run(fixedDialog(["Sorry, I didn't get that. What's the delivery address?"]));
    expect(call.outcome).toBe('loop');
    // the first order, then the address three times
    expect(call.turns).toBe(4);
    expect(call.transcript).toHaveLength(3);
  });

  it('ends at the turn cap when the agent keeps asking different things without an end', async () => {
    const replies = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? 'Anything else?' : "What's the delivery address?",
    );
    const call = await run(fixedDialog(replies));
    expect(call.outcome).toBe('turn_cap');
    expect(call.turns).toBe(15);
  });

  it('scores a call placed after a right read-back as a success, and a handoff without one as a failure', async () => {
    const readBack = `Let me read that back: ${conversation.intended.items
      .map((l) => `${['a', 'two', 'three'][l.quantity - 1]} ${l.quantity > 1 ? `${l.name}s` : l.name}`)
      .join(' and ')}. Shall I place the order?`;
    const placed = await run(fixedDialog([readBack, 'Great, your order is placed. Goodbye!']));
    const handedOff = await run(fixedDialog(['Let me get a person to help you.']));
    const result = summarizeDialogCalls([placed, handedOff]);
    expect(placed.confirmed).toEqual(conversation.intended.items);
    expect(result.per_call.map((c) => [c.outcome, c.task_success])).toEqual([
      ['placed', true],
      ['handoff', false],
    ]);
    expect(result.task_success).toBe(0.5);
    expect(result.outcomes).toMatchObject({ placed: 1, handoff: 1, loop: 0 });
  });

  it('hands extraction the transcript as heard and scores the fields on what it stores, the held state beside it', async () => {
    const { intended } = conversation;
    const given: unknown[] = [];
    const call = await runDialogCall(conversation, {
      session: fixedDialog(['Great, your order is placed. Goodbye!']),
      greeting: agent.greeting,
      menu: agent.menu,
      hear: async () => ({ text: 'misheard', alternatives: [], confidence: 0.2 }),
      readHeld: () => ({ items: [], name: intended.name, address: intended.address, phone: null }),
      extract: async (transcript) => {
        given.push(...transcript);
        return { items: [], name: intended.name.toUpperCase(), address: '1 Wrong Street', phone: null };
      },
    });
    expect(given).toEqual([
      { speaker: 'agent', text: agent.greeting },
      { speaker: 'customer', text: 'misheard' },
      { speaker: 'agent', text: 'Great, your order is placed. Goodbye!' },
    ]);
    const result = summarizeDialogCalls([call]);
    expect(result.field_accuracy).toBe(0.5);
    expect(result.held_field_accuracy).toBe(1);
    expect(result.fields).toEqual({
      name: { right: 1, n: 1 },
      address: { right: 0, n: 1 },
      phone: { right: 0, n: 0 },
    });
  });

  it('plays a whole call against the real scripted dialog and a perfect recogniser to a placed, right order', async () => {
    const { createDialog } = await import('@voiceroom/agent-core/dialog');
    const dialog = await createDialog(agent);
    const call = await run(dialog.createSession());
    expect(call.outcome).toBe('placed');
    expect(summarizeDialogCalls([call]).task_success).toBe(1);
  });
});
