import {
  CALLBACK_ASK_NUMBER,
  CALLBACK_ASK_NUMBER_AGAIN,
  CALLBACK_DECLINED,
  CALLBACK_NUMBER_LEFT_OUT,
  CALLBACK_OFFER,
  callbackConfirmed,
  ScriptedDialog,
} from '@voiceroom/agent-core/dialog';
import { describe, expect, it } from 'vitest';
import { pizzeria } from '../../../packages/agent-core/test/nlu/pizzeria.ts';
import { createHarness, type Harness } from './harness.ts';

/** The caller says `text` (one utterance) and the agent answers it to the end. */
async function callerSays(h: Harness, text: string): Promise<void> {
  h.stt.utterances.push(text);
  await h.run(800, 'speech');
  // Past the longest endpointing delay (a number still being said waits longest).
  await h.run(1_500);
  await h.untilListening();
}

const lastAgentLine = (h: Harness) =>
  h.of('transcript').findLast((t) => t.speaker === 'agent' && t.final)?.text;

async function offered(): Promise<Harness> {
  const h = createHarness();
  h.pipeline.start();
  await h.untilListening();
  const played = h.played.filter((p) => p.audio).length;
  h.pipeline.handoffUnanswered();
  await h.untilListening();
  expect(h.played.filter((p) => p.audio).length).toBeGreaterThan(played);
  expect(lastAgentLine(h)).toBe(CALLBACK_OFFER);
  expect(h.pipeline.history.messages.at(-1)).toEqual({ role: 'assistant', content: CALLBACK_OFFER });
  return h;
}

describe('VoicePipeline callback offer (nobody took the handoff)', () => {
  it('asks for a number after a yes (again when none was heard) and reports the callback with it, without asking the dialog', async () => {
    const h = await offered();
    const asked = h.dialog.requests.length;
    await callerSays(h, 'yes please');
    expect(lastAgentLine(h)).toBe(CALLBACK_ASK_NUMBER);
    expect(h.of('callback')).toEqual([]);
    await callerSays(h, 'um let me see');
    expect(lastAgentLine(h)).toBe(CALLBACK_ASK_NUMBER_AGAIN);
    await callerSays(h, 'five five five three two one four five six seven');
    expect(h.of('callback')).toEqual([
      { type: 'callback', roomId: expect.any(String), phone: '555-321-4567' },
    ]);
    expect(lastAgentLine(h)).toBe(callbackConfirmed('555-321-4567'));
    expect(h.dialog.requests.length).toBe(asked);
    // The offer is over: the next turn is the dialog's again.
    await callerSays(h, 'one coke please');
    expect(h.dialog.requests.at(-1)?.input.userText).toBe('one coke please');
    expect(h.of('callback')).toHaveLength(1);
  });

  /** The caller said `said` before nobody took the handoff, and then yes to the callback. */
  async function yesAfterSaying(said: string): Promise<Harness> {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    await callerSays(h, said);
    h.pipeline.handoffUnanswered();
    await h.untilListening();
    await callerSays(h, 'yes');
    return h;
  }

  it('uses the whole number the caller gave earlier in the call instead of asking again; asks for one heard in part', async () => {
    const h = await yesAfterSaying('my number is five five five nine eight seven six five four three');
    expect(h.of('callback')).toEqual([
      { type: 'callback', roomId: expect.any(String), phone: '555-987-6543' },
    ]);
    expect(lastAgentLine(h)).toBe(callbackConfirmed('555-987-6543'));
    const partial = await yesAfterSaying('my number is five five five one two three four');
    expect(lastAgentLine(partial)).toBe(CALLBACK_ASK_NUMBER);
    expect(partial.of('callback')).toEqual([]);
  });

  it('records nothing when the caller says no, and the call goes on with the dialog', async () => {
    const h = await offered();
    await callerSays(h, 'no thanks');
    expect(lastAgentLine(h)).toBe(CALLBACK_DECLINED);
    await callerSays(h, 'one coke please');
    expect(h.dialog.requests.at(-1)?.input.userText).toBe('one coke please');
    expect(h.of('callback')).toEqual([]);
  });

  it('records nothing when the caller changes their mind instead of giving the number', async () => {
    const h = await offered();
    await callerSays(h, 'yes');
    await callerSays(h, 'no never mind');
    expect(lastAgentLine(h)).toBe(CALLBACK_DECLINED);
    expect(h.of('callback')).toEqual([]);
  });

  it('lets an answer that is neither yes nor no go to the dialog, and the offer lapses', async () => {
    const h = await offered();
    await callerSays(h, 'i would like a large pepperoni pizza');
    expect(h.dialog.requests.at(-1)?.input.userText).toBe('i would like a large pepperoni pizza');
    await callerSays(h, 'yes');
    expect(h.dialog.requests.at(-1)?.input.userText).toBe('yes');
    expect(h.of('callback')).toEqual([]);
  });

  it('asks for the number once more, then records the consent without one', async () => {
    const h = await offered();
    await callerSays(h, 'yes');
    await callerSays(h, 'just call me on this one');
    expect(lastAgentLine(h)).toBe(CALLBACK_ASK_NUMBER_AGAIN);
    expect(h.of('callback')).toEqual([]);
    await callerSays(h, 'the one i am calling from');
    expect(h.of('callback')).toEqual([{ type: 'callback', roomId: expect.any(String), phone: null }]);
    expect(lastAgentLine(h)).toBe(callbackConfirmed(null));
  });
});

describe('the callback offer with a number heard in part', () => {
  const calledBackOn = (phone: string | null) => [{ type: 'callback', roomId: expect.any(String), phone }];

  it('reads out the digits it has and asks for the whole number; calls back on it said again, or on the rest', async () => {
    const turns = [
      {
        part: 'my number is five three two one four five six seven',
        heard: 'five three two, one four five, six seven',
        next: 'five five five three two one four five six seven',
      },
      { part: 'five five five', heard: 'five five five', next: 'three two one four five six seven' },
    ];
    for (const { part, heard, next } of turns) {
      const h = await offered();
      await callerSays(h, 'yes please');
      await callerSays(h, part);
      expect(lastAgentLine(h)).toBe(
        `I only caught ${heard}. Could you say the whole phone number, with the area code?`,
      );
      expect(h.of('callback')).toEqual([]);
      await callerSays(h, next);
      expect(h.of('callback')).toEqual(calledBackOn('555-321-4567'));
    }
  });

  it('records the consent without a number, and says so, when the number is still short', async () => {
    const h = await offered();
    await callerSays(h, 'yes');
    await callerSays(h, 'five three two one four five six seven');
    await callerSays(h, 'five three two one four five six seven');
    expect(h.of('callback')).toEqual(calledBackOn(null));
    expect(lastAgentLine(h)).toBe(`${CALLBACK_NUMBER_LEFT_OUT} ${callbackConfirmed(null)}`);
  });

  it('does not call back on a whole number the numbering plan has not: asks again, and takes the right one', async () => {
    const h = await offered();
    await callerSays(h, 'yes');
    await callerSays(h, 'five five five one two three four five six seven');
    expect(lastAgentLine(h)).toMatch(
      /^I don't think I heard that right: five five five, one two three, four five six seven\./,
    );
    expect(h.of('callback')).toEqual([]);
    await callerSays(h, 'five five five three two one four five six seven');
    expect(h.of('callback')).toEqual(calledBackOn('555-321-4567'));
  });

  it('asks for the whole number when the yes comes with part of one', async () => {
    const h = await offered();
    await callerSays(h, 'yes call me on five five five one two three four');
    expect(lastAgentLine(h)).toMatch(/^I only caught five five five, one two three four\./);
    expect(h.of('callback')).toEqual([]);
  });
});

describe('the callback offer around the scripted dialog', () => {
  it("does not take the caller's yes to a callback as a yes to the order read-back", async () => {
    const h = createHarness({}, { realDialog: new ScriptedDialog({ config: pizzeria() }) });
    h.pipeline.start();
    await h.untilListening();
    await callerSays(h, 'a large pepperoni pizza');
    await callerSays(h, 'my name is ana');
    await callerSays(h, 'twelve oak street');
    await callerSays(h, 'five five five three two one four five six seven');
    await callerSays(h, "that's all");
    expect(lastAgentLine(h)).toMatch(/^Let me read that back/);
    h.pipeline.handoffUnanswered();
    await h.untilListening();
    await callerSays(h, 'yes please');
    expect(h.of('callback')).toEqual([
      { type: 'callback', roomId: expect.any(String), phone: '555-321-4567' },
    ]);
    await callerSays(h, 'can i add a coke');
    expect(h.of('end_call')).toEqual([]);
    expect(lastAgentLine(h)).toMatch(/coke/i);
    expect(lastAgentLine(h)).not.toMatch(/placed/i);
  });
});
