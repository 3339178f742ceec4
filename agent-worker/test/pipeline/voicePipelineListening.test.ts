import { describe, expect, it } from 'vitest';
import { listeningFor } from '../../src/pipeline/listeningFor.ts';
import { ScriptedStt } from './doubles.ts';
import { createHarness, LONG_REPLY } from './harness.ts';

describe('the recogniser follows the dialog', () => {
  it('maps what the agent asked to what the recogniser listens for', () => {
    expect(listeningFor('Can I get a name for the order?')).toBe('name');
    expect(listeningFor("Thanks, Maria. What's the delivery address?")).toBe('address');
    expect(listeningFor('And a phone number, in case the driver needs to reach you?')).toBe('phone');
    expect(listeningFor('What size would you like for the pepperoni pizza?')).toBe('size');
    expect(listeningFor('Your total is $31. Shall I place the order?')).toBe('yesno');
    expect(listeningFor('Did you say medium?')).toBe('yesno');
    expect(listeningFor('Hi! What would you like to order?')).toBe('order');
    expect(listeningFor('Goodbye.')).toBe('open');
  });

  it('is told what the agent asks for as the question plays, not when the caller stops answering', async () => {
    const h = createHarness({ greeting: 'Hello. What would you like to order?' });
    h.pipeline.start();
    await h.untilListening();
    expect(h.stt.expectations.at(-1)).toEqual({ slot: 'order', atAudioSamples: 0 });

    h.dialog.reply = () => [
      { type: 'text', text: 'One large pepperoni. ' },
      { type: 'text', text: 'Can I get a name for the order?' },
    ];
    h.stt.utterances.push('a large pepperoni');
    await h.run(1000, 'speech');
    const toldBeforeAnswer = h.stt.expectations.length;
    // The caller stopping and the turn ending change nothing: the recogniser has no work at the end of the turn.
    while (h.dialog.requests.length === 0) {
      expect(h.stt.expectations).toHaveLength(toldBeforeAnswer);
      await h.run(20);
    }
    const heardOfFirstAnswer = h.stt.audioSamples;
    await h.untilListening();
    const told = h.stt.expectations.slice(toldBeforeAnswer);
    expect(told.map((e) => e.slot)).toEqual(['open', 'name']);
    // Told while the question played: before any audio of the answer reached the recogniser.
    expect(told.every((e) => e.atAudioSamples === heardOfFirstAnswer)).toBe(true);

    h.stt.utterances.push('maria lopez');
    await h.run(800, 'speech');
    // a name answer gets the longest end-of-turn wait (the address often follows a pause)
    await h.run(1400);
    expect(h.dialog.requests.at(-1)?.input.userText).toBe('maria lopez');
  });

  it('a recogniser taking over mid-call is told what the agent last asked for', async () => {
    const fallback = new ScriptedStt('fallback');
    const h = createHarness(
      { greeting: 'Hi. Can I get a name for the order?' },
      { fallbacks: { stt: fallback } },
    );
    h.pipeline.start();
    await h.untilListening();
    h.stt.failAtNextUtteranceEnd = new Error('recogniser crashed');
    await h.run(600, 'speech');
    await h.run(1500);
    expect(fallback.expectations.map((e) => e.slot)).toContain('name');
  });

  it("hands the recogniser's confidence and n-best list of the caller's turn to the dialog", async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    h.stt.utterances.push('us');
    h.stt.alternatives.set('us', ['yes', 'yes sir']);
    await h.run(600, 'speech');
    await h.run(400);
    expect(h.dialog.requests[0]?.input).toMatchObject({
      userText: 'us',
      confidence: 1,
      alternatives: ['yes', 'yes sir'],
    });
  });

  it("tells the VAD while the agent holds the turn: from the stream's first frame (the greeting) to the caller's turn", async () => {
    const h = createHarness({ greeting: 'Hello. What would you like to order?' });
    // before the first caller frame: the agent opens the call
    expect(h.vad.agentTurns).toEqual([true]);
    h.pipeline.start();
    await h.run(200);
    expect(h.vad.agentTurns.at(-1)).toBe(true);
    await h.untilListening();
    expect(h.vad.agentTurns.at(-1)).toBe(false);

    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('a large pepperoni');
    await h.run(600, 'speech');
    while (h.pipeline.state !== 'speaking') await h.run(20);
    expect(h.vad.agentTurns.at(-1)).toBe(true);
    // the caller speaking over the reply pauses it: the turn is theirs to take
    await h.run(100, 'speech');
    expect(h.pipeline.state).toBe('paused');
    expect(h.vad.agentTurns.at(-1)).toBe(false);
  });
});
