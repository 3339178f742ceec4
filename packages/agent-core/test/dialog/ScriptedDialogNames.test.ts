import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

describe('getting the name in a bounded number of turns', () => {
  it('takes a spelled name without checking it again, even when the recogniser was unsure', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    expect((await turn(s, 'my name is wm raul', { confidence: 0.01 })).text).toBe(
      'Did you say William Raul?',
    );
    expect((await turn(s, 'no')).text).toBe(
      'Sorry about that. Could you spell your name for me, letter by letter?',
    );
    const spelled = await turn(s, 'w i l l i a m a r o g e r s', { confidence: 0 });
    expect(spelled.text).toBe("Thanks, William Rogers. What's the delivery address?");
    expect(s.tracker.customer.name).toBe('William Rogers');
  });

  it('hears "wm" as William, the name the dictionary says it as, not as a name of its own', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const reply = await turn(s, 'my name is wm rodgers', {
      confidence: 0.001,
      alternatives: ['my name is wm rogers', 'my name is william rodgers', 'my name is william rogers'],
    });
    expect(reply.text).toBe('Did you say William Rogers?');
    await turn(s, 'yes');
    expect(s.tracker.customer.name).toBe('William Rogers');
  });

  it('does not take "go ahead" for a yes to the name check: the no below it is heard, the name spelled', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    expect((await turn(s, 'my name is wm raul', { confidence: 0.01 })).text).toBe(
      'Did you say William Raul?',
    );
    const heard = { confidence: 0.255, alternatives: ['no ahead', 'i go ahead'] };
    expect((await turn(s, 'go ahead', heard)).text).toBe(
      'Sorry about that. Could you spell your name for me, letter by letter?',
    );
    expect(s.tracker.customer.name).not.toBe('William Raul');
  });

  it('takes the commoner spelling of a name when the recogniser heard it both ways', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const reply = await turn(s, "it's sophie macdonald", {
      confidence: 0.5,
      alternatives: ["it's sophia mcdonald", "uh it's sophie macdonald"],
    });
    expect(reply.text).toBe("Thanks, Sophia Mcdonald. What's the delivery address?");
  });

  it('goes on without the name when the spelling gave none, and never asks to spell twice', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    await turn(s, 'my name is wm raul', { confidence: 0.01 });
    await turn(s, 'no');
    const unspelled = await turn(s, 'um', { confidence: 0 });
    expect(unspelled.text).toBe("Let's go on without the name for now. What's the delivery address?");
    const later = await turn(s, 'the name is maria', { confidence: 0.01 });
    expect(later.text).not.toContain('spell');
  });

  it('takes an unsure name the n-best hypotheses agree on without a check, and checks one they disagree on', async () => {
    const agreed = session();
    await play(agreed, 'a large pepperoni pizza', "that's all");
    const taken = await turn(agreed, 'my name is sarah miller', {
      confidence: 0.01,
      alternatives: ['i name is sarah miller', 'my name is sarah miller please', 'the name is sarah miller'],
    });
    expect(taken.text).toBe("Thanks, Sarah Miller. What's the delivery address?");
    const disputed = session();
    await play(disputed, 'a large pepperoni pizza', "that's all");
    const checked = await turn(disputed, 'my name is katherine macdonald', {
      confidence: 0.01,
      alternatives: ['my name is catherine macdonald', 'my name is kathryn macdonald'],
    });
    expect(checked.text).toBe('Did you say Catherine Macdonald?');
  });

  it('checks an unsure name with a word that is no common name, even when the n-best hypotheses agree on it', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const checked = await turn(s, 'uh this is gregory salads', {
      confidence: 0.03,
      alternatives: ["uh it's gregory salads", 'this is gregory salads', "it's gregory salads"],
    });
    expect(checked.text).toBe('Did you say Gregory Salads?');
  });

  it('still asks for the phone after a no to the name check when the address came with the name', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const checked = await turn(s, 'my name is keith fischer and the address is twelve oak street', {
      confidence: 0.01,
    });
    expect(checked.text).toBe('Did you say Keith Fischer?');
    await turn(s, 'no');
    const spelled = await turn(s, 'k e i t h f i s h e r', { confidence: 0 });
    expect(spelled.text).toBe(
      'Thanks, Keith Fisher. And a phone number, in case the driver needs to reach you?',
    );
  });
});

describe('a first name heard without its last name', () => {
  const named = async (...answers: string[]) => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const replies = await play(s, ...answers);
    return { replies, name: s.tracker.customer.name };
  };

  it('asks for the last name and adds it to the first name', async () => {
    expect(await named("it's teresa", 'smith')).toEqual({
      replies: [
        'Thanks, Teresa. And your last name?',
        "Got it, the name is Teresa Smith. What's the delivery address?",
      ],
      name: 'Teresa Smith',
    });
    expect((await named("it's teresa", 'my name is teresa smith')).name).toBe('Teresa Smith');
  });

  it('asks once: an answer without a last name goes on with the first name', async () => {
    expect(await named("it's teresa", 'um')).toEqual({
      replies: ['Thanks, Teresa. And your last name?', "What's the delivery address?"],
      name: 'Teresa',
    });
    expect((await named("it's teresa", 'teresa')).replies[1]).toBe("What's the delivery address?");
  });

  it('costs no turn when the whole name was heard, or a surname alone', async () => {
    expect((await named('my name is teresa smith')).replies).toEqual([
      "Thanks, Teresa Smith. What's the delivery address?",
    ]);
    expect((await named('put it under garcia')).replies).toEqual([
      "Thanks, Garcia. What's the delivery address?",
    ]);
  });

  it('a first name after a name question not understood is progress: the last name next, not a spelling', async () => {
    const { replies } = await named('um', 'teresa');
    expect(replies[1]).toBe('Thanks, Teresa. And your last name?');
  });

  it('asks for the last name of an unsure first name instead of checking it, and the whole name spelled if still unsure', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    expect((await turn(s, 'my name is teresa', { confidence: 0.01 })).text).toBe(
      'Thanks, Teresa. And your last name?',
    );
    // a third question on the name: the spelling its check's no would lead to, not "Did you say Teresa Smith?"
    expect((await turn(s, 'smith', { confidence: 0.01, alternatives: ['stone', 'snow'] })).text).toBe(
      'Could you spell your name for me, letter by letter?',
    );
    expect((await turn(s, 't e r e s a f i s h e r', { confidence: 0 })).text).toBe(
      "Got it, the name is Teresa Fisher. What's the delivery address?",
    );
  });

  it('keeps the whole name heard when the spelling asked instead of its check gives none', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all", 'my name is teresa');
    expect((await turn(s, 'smith', { confidence: 0.01 })).text).toMatch(/^Could you spell your name/);
    expect((await turn(s, 'um', { confidence: 0 })).text).toBe("What's the delivery address?");
    expect(s.tracker.customer.name).toBe('Teresa Smith');
  });

  it('still checks an unsure word that is no common name before asking for the last name', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    expect((await turn(s, 'my name is zorblat', { confidence: 0.01 })).text).toBe('Did you say Zorblat?');
    expect((await turn(s, 'yes')).text).toBe('And your last name?');
  });

  it('asks a caller who spelled a first name alone to spell the last name, once', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    await turn(s, 'my name is wm raul', { confidence: 0.01 });
    await turn(s, 'no');
    expect((await turn(s, 't e r e s a', { confidence: 0 })).text).toBe(
      'Thanks, Teresa. Could you spell your last name?',
    );
    expect((await turn(s, 'f i s h e r', { confidence: 0 })).text).toBe(
      "Got it, the name is Teresa Fisher. What's the delivery address?",
    );
    const unspelled = session();
    await play(unspelled, 'a large pepperoni pizza', "that's all");
    await play(unspelled, 'okay', 'yes', 't e r e s a');
    expect((await turn(unspelled, 'um', { confidence: 0 })).text).toBe("What's the delivery address?");
    expect(unspelled.tracker.customer.name).toBe('Teresa');
  });

  it('takes a spelled word that is no common first name as the whole name, without asking for a last name', async () => {
    for (const spelled of ['j e f f r e y g i e g', 'p p r n a r t h u r']) {
      const s = session();
      await play(s, 'a large pepperoni pizza', "that's all");
      await turn(s, 'my name is wm raul', { confidence: 0.01 });
      await turn(s, 'no');
      const reply = await turn(s, spelled, { confidence: 0 });
      expect(reply.text).not.toContain('last name');
      expect(reply.text).toContain("What's the delivery address?");
    }
  });
});

describe('the answer to "And your last name?"', () => {
  it('takes the one-word name the best hypothesis heard over a whole name a lower one heard', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all", "it's ronnie");
    await turn(s, 'my name is rodgers', {
      alternatives: ['my name is gerard sears middleton'],
      confidence: 0.5,
    });
    expect(s.tracker.customer.name).toBe('Ronnie Rodgers');
  });
});
