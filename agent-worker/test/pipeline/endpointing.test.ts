import { describe, expect, it } from 'vitest';
import { completeness, endpointingDelayMs, judgedText } from '../../src/pipeline/endpointing.ts';
import { createHarness } from './harness.ts';

const bounds = { endpointingDelayMs: 300, minEndpointingDelayMs: 200, maxEndpointingDelayMs: 1000 };

describe('endpointing policy', () => {
  it.each([
    'a large pepperoni and',
    'my name is',
    'my address is',
    'twelve oak street apartment',
    'five five five one',
    'one twenty',
    'my address is twelve',
    'i would like um',
    'can i get uh',
    'two pizzas with',
    'Hello,',
    'great',
    'hi there',
  ])('waits longest after the unfinished %j', (text) => {
    expect(completeness(text)).toBe('incomplete');
    expect(endpointingDelayMs(text, bounds)).toBe(1000);
  });

  it.each([
    'yes',
    "Yeah, that's right.",
    'no thanks',
    "that's all",
    'thats it',
    'two cokes please',
    'thank you',
    'sounds good',
    'I want to talk to a person.',
    'can I speak with a manager',
    'let me talk to someone',
    'i want a want a person',
  ])('replies sooner after the complete answer %j', (text) => {
    expect(completeness(text)).toBe('complete');
    expect(endpointingDelayMs(text, bounds)).toBe(200);
  });

  it('takes a lone yes or no as complete only as the answer to a yes/no question, elsewhere as a lead-in', () => {
    for (const word of ['no', 'yeah', 'okay', 'yes', 'Alright.']) {
      expect(endpointingDelayMs(word, bounds, 'yesno')).toBe(200);
      expect(endpointingDelayMs(word, bounds, 'order')).toBe(1000);
      expect(endpointingDelayMs(word, bounds, 'name')).toBe(1000);
    }
    expect(endpointingDelayMs("no that's all", bounds, 'order')).toBe(200);
  });

  it.each(['actually', 'okay so', 'um no', 'well'])(
    'waits longest after %j, a lead-in alone, when the agent asked for anything but a yes or no',
    (text) => {
      expect(endpointingDelayMs(text, bounds, 'order')).toBe(1000);
      expect(endpointingDelayMs(`${text} make it two`, bounds, 'order')).toBe(300);
    },
  );

  it('waits longest after a size or kind whose item is still to come, and after "to order"', () => {
    for (const text of [
      'hello i would like to order a large',
      'two medium',
      'and one diet',
      'i want to order',
    ])
      expect(endpointingDelayMs(text, bounds, 'order')).toBe(1000);
    // the answer to "What size?", a new size for a line, a size after its item: nothing more is owed
    expect(endpointingDelayMs('a large', bounds, 'size')).toBe(300);
    expect(endpointingDelayMs('make it a large', bounds, 'order')).toBe(300);
    expect(endpointingDelayMs('change the pepperoni to a medium', bounds, 'order')).toBe(300);
    expect(endpointingDelayMs('a pepperoni pizza large', bounds, 'order')).toBe(300);
    expect(endpointingDelayMs('cancel my order', bounds, 'order')).toBe(300);
  });

  it('asked for the order, waits longest after a quantity alone, not after a change of quantity', () => {
    expect(endpointingDelayMs('three', bounds, 'order')).toBe(1000);
    expect(endpointingDelayMs('twenty two', bounds, 'order')).toBe(1000);
    expect(endpointingDelayMs('make it two', bounds, 'order')).toBe(300);
    expect(endpointingDelayMs('three', bounds, 'size')).toBe(300);
  });

  it('asked for the order or a yes or no, waits longest after one word that is not a whole answer', () => {
    for (const expecting of ['order', 'yesno'] as const) {
      expect(endpointingDelayMs('tom', bounds, expecting)).toBe(1000);
      expect(endpointingDelayMs('pepperoni', bounds, expecting)).toBe(1000);
    }
    expect(endpointingDelayMs('correct', bounds, 'yesno')).toBe(200);
    expect(endpointingDelayMs('a pepperoni', bounds, 'order')).toBe(300);
    expect(endpointingDelayMs('large', bounds, 'size')).toBe(300);
  });

  it.each(['sorry i', "yes i'd", "i'll"])(
    'waits longest after %j: a subject with its verb to come',
    (text) => {
      expect(endpointingDelayMs(text, bounds, 'order')).toBe(1000);
    },
  );

  it.each([
    'my number is four one five five five five zero one four two',
    'four one five, five five five, oh one four oh',
    '415 555 0142',
    'four one five five five five twenty one forty',
    'it is twelve oak street, my phone number is six one seven, double five, five zero four oh seven',
  ])('replies sooner after the whole phone number %j, whatever was asked', (text) => {
    for (const slot of ['phone', 'name', 'address', 'order'] as const)
      expect(endpointingDelayMs(text, bounds, slot)).toBe(200);
  });

  it.each([
    'my number is four one five, five five five',
    'six one seven five five five zero four oh',
    "michael three one eight one, i'd like five",
    // more digits than a phone number has: misheard, so not known to be whole
    'my number is two four one oh five eight two, eight five nine five eight five eight',
  ])('asked for a phone number, waits longest after %j: digits short of a whole one', (text) => {
    expect(endpointingDelayMs(text, bounds, 'phone')).toBe(1000);
  });

  it('asked for a phone number, keeps the configured delay for an answer without a number', () => {
    expect(endpointingDelayMs('no, remove the caesar salad', bounds, 'phone')).toBe(300);
  });

  it('does not take a house number for a phone number', () => {
    expect(endpointingDelayMs('my address is four thousand six hundred twenty two', bounds, 'order')).toBe(
      1000,
    );
  });

  it.each([
    ['name', 'my name is sean wagner'],
    ['name', 'w i l l i a m'],
    ['address', 'it is sixteen ten cherry road'],
  ] as const)(
    'asked for a %s, waits longest after %j: the next detail often follows a pause',
    (slot, text) => {
      expect(endpointingDelayMs(text, bounds, slot)).toBe(1000);
      expect(endpointingDelayMs(text, bounds, 'order')).toBe(300);
    },
  );

  it('asked for a name, an answer closed with thanks or please is still answered sooner', () => {
    expect(endpointingDelayMs('maria lopez thanks', bounds, 'name')).toBe(200);
    expect(endpointingDelayMs('twelve oak street please', bounds, 'address')).toBe(200);
  });

  it.each(['two large pepperoni pizzas', 'make it two', 'maria lopez', 'twelve oak street'])(
    'keeps the configured delay for %j',
    (text) => {
      expect(endpointingDelayMs(text, bounds)).toBe(300);
    },
  );

  it('stays within the configured delay when no bounds are given, and never inverts them', () => {
    expect(endpointingDelayMs('and', { endpointingDelayMs: 300 })).toBe(300);
    expect(endpointingDelayMs('yes', { endpointingDelayMs: 300 })).toBe(300);
    const inverted = { endpointingDelayMs: 1500, minEndpointingDelayMs: 200, maxEndpointingDelayMs: 1000 };
    expect(endpointingDelayMs('and', inverted)).toBe(1500);
    expect(endpointingDelayMs('yes', inverted)).toBe(200);
  });

  it('puts back a trailing "and" or "um" the final dropped but the last partial had', () => {
    expect(
      judgedText("i'd like three large margherita pizza", "i'd like three large margherita pizzas and"),
    ).toBe("i'd like three large margherita pizza and");
    expect(judgedText('two cokes', 'two cokes uh')).toBe('two cokes uh');
    expect(judgedText('two cokes and', 'two cokes and')).toBe('two cokes and');
    // a stale partial that stopped mid-sentence is not a reason to wait
    expect(judgedText('my name is maria', 'my name is')).toBe('my name is maria');
    expect(judgedText('two cokes', undefined)).toBe('two cokes');
  });

  it('judges only the end of a very long turn', () => {
    expect(completeness(`${'blah '.repeat(5000)}and`)).toBe('incomplete');
  });
});

describe('VoicePipeline semantic end of turn', () => {
  async function greeted(turn = {}, greeting = 'Hello there. How can I help?') {
    const h = createHarness({
      greeting,
      turn: {
        endpointingDelayMs: 300,
        minInterruptionMs: 300,
        minInterruptionWords: 0,
        falseInterruptionTimeoutMs: 1500,
        ...turn,
      },
    });
    h.pipeline.start();
    await h.untilListening();
    return h;
  }

  /** The caller says "my name is", pauses 600 ms, then says "maria". */
  async function pausedMidSentence(h: Awaited<ReturnType<typeof greeted>>) {
    h.stt.utterances.push('my name is', 'maria');
    await h.run(900, 'speech');
    await h.run(600);
    await h.run(600, 'speech');
    await h.run(1500);
  }

  it('does not cut a pause after "my name is": both parts are one turn', async () => {
    const h = await greeted();
    await pausedMidSentence(h);
    expect(h.dialog.requests.map((r) => r.input.userText)).toEqual(['my name is, maria']);
  });

  it('with the bounds set to the fixed delay, the same pause cuts the turn (as before)', async () => {
    const h = await greeted({ minEndpointingDelayMs: 300, maxEndpointingDelayMs: 300 });
    await pausedMidSentence(h);
    expect(h.dialog.requests[0]?.input.userText).toBe('my name is');
  });

  /** After the agent said `agent`, the caller says `first`, pauses `pauseMs`, then says `second`: what is answered. */
  async function answeredAfterPause(agent: string, first: string, pauseMs: number, second: string) {
    const h = await greeted({}, agent);
    h.stt.utterances.push(first, second);
    await h.run(400, 'speech');
    await h.run(pauseMs);
    await h.run(600, 'speech');
    await h.run(1500);
    return h.dialog.requests.map((r) => r.input.userText);
  }

  it('answers "no", a pause, "that\'s everything" after "Anything else?" as one turn', async () => {
    // past the VAD's 200 ms and the short delay a complete answer would get, within the configured 300 ms
    const answered = await answeredAfterPause(
      'Two cokes, got it. Anything else?',
      'no',
      260,
      "that's everything",
    );
    expect(answered).toEqual(["no, that's everything"]);
  });

  it('answers "Alright.", a 700 ms pause, "I\'ll have a coke" after "What can I get you?" as one turn', async () => {
    const answered = await answeredAfterPause('Hi. What can I get you?', 'alright', 700, "i'll have a coke");
    expect(answered).toEqual(["alright, i'll have a coke"]);
  });

  it('answers a complete "yes" to a yes/no question sooner than the configured delay', async () => {
    const h = await greeted({}, 'Shall I place the order?');
    h.stt.utterances.push('yes');
    await h.run(400, 'speech');
    await h.run(800);
    await h.untilListening();
    const [metrics] = h.of('turn.metrics');
    expect(metrics?.eouMs).toBeGreaterThanOrEqual(200);
    expect(metrics?.eouMs).toBeLessThan(300);
  });
});
