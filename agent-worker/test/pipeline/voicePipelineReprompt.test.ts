import { describe, expect, it } from 'vitest';
import { audioBetween, greeted, type Harness } from './harness.ts';

const GREETING = "Hi, thanks for calling. What can I get for you? Let me know when you're ready.";

const agentFinals = (h: Harness) => h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);

describe('VoicePipeline never leaves a caller who spoke in silence', () => {
  it('speech the recogniser made nothing of is answered by an apology and the last question again', async () => {
    const h = await greeted({ greeting: GREETING });
    const spokeAt = h.clock.now();
    await h.run(600, 'speech'); // no utterance queued: recognised as ''
    await h.run(2_000);
    await h.untilListening(5_000);
    expect(agentFinals(h).at(-1)?.text).toBe("Sorry, I didn't catch that. What can I get for you?");
    const firstSound = audioBetween(h, spokeAt + 600)[0] ?? Number.POSITIVE_INFINITY;
    // 1500 ms after the end of speech (the VAD's 200 ms hangover included), not a moment later than a frame
    expect(firstSound - (spokeAt + 600)).toBeLessThanOrEqual(1_500 + 200 + 40);
    expect(h.dialog.requests).toHaveLength(0);
  });

  it('a reply that ended without a word is followed by the apology', async () => {
    const h = await greeted({ greeting: GREETING });
    h.dialog.reply = () => [];
    h.stt.utterances.push('two pizzas');
    await h.run(600, 'speech');
    await h.run(2_500);
    expect(h.dialog.requests.map((r) => r.input.userText)).toEqual(['two pizzas']);
    await h.untilListening(5_000);
    expect(agentFinals(h).at(-1)?.text).toBe("Sorry, I didn't catch that. What can I get for you?");
  });

  it('a question whose answer the VAD did not hear is asked again after noInputRepromptMs, twice at most', async () => {
    const greeting = 'Hi, thanks for calling. What can I get for you?';
    const h = await greeted({ greeting });
    const endedAt = h.clock.now();
    await h.run(5_900);
    expect(agentFinals(h)).toHaveLength(1);
    await h.run(200);
    expect(audioBetween(h, endedAt + 5_900).length).toBeGreaterThan(0);
    await h.untilListening(5_000);
    await h.run(6_100);
    await h.untilListening(5_000);
    await h.run(20_000);
    const again = "Sorry, I didn't catch that. What can I get for you?";
    expect(agentFinals(h).map((t) => t.text)).toEqual([greeting, again, again]);
  });

  it('a reply cut off before its question by speech that came to nothing says it again from the cut, not "say that again"', async () => {
    const h = await greeted({ greeting: GREETING });
    const reply = 'Got it, one large pepperoni pizza and two cokes. What is the phone number for the order?';
    h.dialog.reply = () => [{ type: 'text', text: reply }];
    h.stt.utterances.push('two pizzas');
    await h.run(600, 'speech');
    await h.run(1_000);
    expect(h.pipeline.state).toBe('speaking');
    h.stt.utterances.push(''); // babble over the reply: nothing recognised, long enough to stop it
    await h.run(1_800, 'speech');
    await h.run(2_500);
    await h.untilListening(10_000);
    const finals = agentFinals(h);
    expect(finals.at(-2)).toMatchObject({ interrupted: true });
    expect(finals.at(-2)?.text).not.toContain('phone');
    expect(finals.at(-1)?.text).toBe(`Sorry, I didn't catch that. ${reply}`);
    expect(h.dialog.requests).toHaveLength(1);
  });

  it('a reprompt cut off in turn still asks the question owed', async () => {
    const h = await greeted({ greeting: GREETING });
    h.dialog.reply = () => [{ type: 'text', text: 'Got it, two pizzas. What is the delivery address?' }];
    h.stt.utterances.push('two pizzas');
    await h.run(600, 'speech');
    await h.run(800);
    h.stt.utterances.push('');
    await h.run(1_800, 'speech');
    await h.run(1_800); // the reprompt starts...
    expect(h.pipeline.state).toBe('speaking');
    h.stt.utterances.push('');
    await h.run(1_800, 'speech'); // ...and is cut off by babble too
    await h.run(2_500);
    await h.untilListening(10_000);
    expect(agentFinals(h).map((t) => t.interrupted)).toEqual([false, true, true, false]);
    expect(agentFinals(h).at(-1)?.text).toBe(
      "Sorry, I didn't catch that. Got it, two pizzas. What is the delivery address?",
    );
  });

  it('while a human has taken over, unrecognised caller speech is left to them', async () => {
    const h = await greeted({ greeting: GREETING });
    h.pipeline.setMuted(true);
    await h.run(600, 'speech');
    await h.run(10_000);
    expect(agentFinals(h).map((t) => t.text)).toEqual([GREETING]);
  });
});
