import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import type { TurnAction } from '../../src/pipeline/turnEvents.ts';
import { turnSettings, actionTypes as types } from './turnMachine.ts';

// the VAD's hangover 250 ms (turnSettings); the caller's softer last sounds may go on 150 ms after its trail
const settings = { ...turnSettings, minEndpointingDelayMs: 200, maxEndpointingDelayMs: 1000 };

/**
 * A listening machine, asked for `expecting`, whose speech began at 0 on the room's voices, the caller's voice rising
 * over them at 200, and the room holding the speech open after it: ticks every 20 ms to `untilMs` with the caller's voice over the room until `voiceEndMs`, and `partials` (text
 * at a time) given as they come. Returns every action with the tick it came on.
 */
function roomHeld(
  expecting: SttExpectation,
  voiceEndMs: number,
  partials: [atMs: number, text: string][],
  untilMs = 2000,
) {
  const m = new TurnStateMachine(settings);
  m.handle({ type: 'agent_asked', expecting, atMs: 0 });
  m.handle({ type: 'user_speech_start', atMs: 0 });
  const heard: { atMs: number; action: TurnAction }[] = [];
  for (let at = 20; at <= untilMs; at += 20) {
    for (const [partialAt, text] of partials)
      if (partialAt === at) m.handle({ type: 'user_transcript', text, final: false, atMs: at });
    const tick = {
      type: 'tick' as const,
      atMs: at,
      foregroundStartMs: 200,
      foregroundEndMs: Math.min(at, voiceEndMs),
    };
    for (const action of m.handle(tick)) heard.push({ atMs: at, action });
  }
  return { m, heard, ends: heard.filter((h) => h.action.type === 'end_caller_speech').map((h) => h.atMs) };
}

describe("TurnStateMachine: an answer the room's voices hold open", () => {
  it("ends the speech a hangover after the caller's voice and its soft tail, and the final then ends the turn", () => {
    // voice end 1000 + soft tail 150 + hangover 250
    const { m, ends } = roomHeld('order', 1000, [[1200, "that's all thanks"]]);
    expect(ends).toEqual([1400]);
    m.handle({ type: 'user_speech_end', atMs: 1400 });
    const atFinal = m.handle({ type: 'user_transcript', text: "that's all thanks", final: true, atMs: 1490 });
    expect(types(atFinal)).toEqual(['commit_user_turn']);
  });

  it('waits the longest when the final of the speech it ended is no complete answer: the room may fill a pause', () => {
    const { m, ends } = roomHeld('order', 1000, [[1200, "that's all thanks"]]);
    expect(ends).toEqual([1400]);
    m.handle({ type: 'user_speech_end', atMs: 1400 });
    expect(m.handle({ type: 'user_transcript', text: "it's ali", final: true, atMs: 1490 })).toEqual([]);
    // from the voice's end and its soft tail (1150), the longest wait, not the 300 ms an unknown answer gets
    expect(m.nextDeadlineMs).toBe(2150);
    m.handle({ type: 'user_speech_start', atMs: 1700 });
    m.handle({ type: 'user_speech_end', atMs: 2600 });
    m.handle({ type: 'user_transcript', text: 'three garlic breads', final: true, atMs: 2890 });
    expect(m.pendingText).toBe("it's ali, three garlic breads");
  });

  it('does not end a mid-sentence pause the room fills: the caller goes on, and the turn waits for them', () => {
    // "my name is ... Sean Wagner": the pause from 900 to 1700 is the room's babble alone
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'agent_asked', expecting: 'name', atMs: 0 });
    m.handle({ type: 'user_speech_start', atMs: 0 });
    const actions: TurnAction[] = [];
    for (let at = 20; at <= 2600; at += 20) {
      if (at === 1100) m.handle({ type: 'user_transcript', text: 'my name is', final: false, atMs: at });
      const voiceEnd = at < 1700 ? Math.min(at, 900) : Math.min(at, 2300);
      actions.push(
        ...m.handle({ type: 'tick', atMs: at, foregroundStartMs: 200, foregroundEndMs: voiceEnd }),
      );
    }
    expect(types(actions)).toEqual([]);
    m.handle({ type: 'user_speech_end', atMs: 2600 });
    m.handle({ type: 'user_transcript', text: 'my name is sean wagner', final: true, atMs: 2890 });
    expect(m.pendingText).toBe('my name is sean wagner');
  });

  it('does not end an unfinished sentence, which the room may be filling a pause of', () => {
    expect(roomHeld('order', 1000, [[1200, 'two cokes and']]).ends).toEqual([]);
    expect(roomHeld('name', 1000, [[1200, 'my name is sean wagner']]).ends).toEqual([]);
  });

  it('ends an answer not known either way, and its final then ends the turn', () => {
    const { m, ends } = roomHeld('order', 1000, [[1200, 'two large pepperoni pizzas']]);
    expect(ends).toEqual([1400]);
    m.handle({ type: 'user_speech_end', atMs: 1400 });
    // the 300 ms such an answer waits, from the voice's end and its soft tail (1150), is over by then
    const atFinal = m.handle({
      type: 'user_transcript',
      text: 'two large pepperoni pizza',
      final: true,
      atMs: 1490,
    });
    expect(types(atFinal)).toEqual(['commit_user_turn']);
  });

  it("keeps a complete answer's shortest wait when its final only adds the room's words after the partial's", () => {
    const { m, ends } = roomHeld('order', 1000, [[1200, "that's it"]]);
    expect(ends).toEqual([1400]);
    m.handle({ type: 'user_speech_end', atMs: 1400 });
    const atFinal = m.handle({ type: 'user_transcript', text: "that's it on", final: true, atMs: 1490 });
    expect(types(atFinal)).toEqual(['commit_user_turn']);
  });

  it('leaves an answer not known either way to the room once the caller paused in the turn: another pause may come', () => {
    // "actually … no margherita … pizza": the turn holds "actually" from the speech before
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'agent_asked', expecting: 'order', atMs: 0 });
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_speech_end', atMs: 600 });
    m.handle({ type: 'user_transcript', text: 'actually', final: true, atMs: 890 });
    m.handle({ type: 'user_speech_start', atMs: 1200 });
    m.handle({ type: 'user_transcript', text: 'no margherita', final: false, atMs: 2400 });
    const ends = [2300, 2400, 2500].flatMap((at) =>
      types(m.handle({ type: 'tick', atMs: at, foregroundStartMs: 1400, foregroundEndMs: 2000 })),
    );
    expect(ends).toEqual([]);
  });

  it('waits as the final says when its words differ from the partial the speech ended on', () => {
    const { m } = roomHeld('order', 1000, [[1200, 'two large pepperoni pizzas']]);
    m.handle({ type: 'user_speech_end', atMs: 1400 });
    m.handle({ type: 'user_transcript', text: 'two large pepperoni and', final: true, atMs: 1490 });
    expect(m.nextDeadlineMs).toBe(2150);
  });

  it("judges by a partial given after the caller's voice ended: an older one may lack their last words", () => {
    // "no" heard at 900 of "no, two cokes" whose voice ended at 1000; no partial since
    expect(roomHeld('yesno', 1000, [[900, 'no']]).ends).toEqual([]);
    // a later partial, once it comes, decides
    expect(
      roomHeld('yesno', 1000, [
        [900, 'no'],
        [1500, 'no'],
      ]).ends,
    ).toEqual([1500]);
  });

  it('judges the partial after what the turn holds already', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'agent_asked', expecting: 'phone', atMs: 0 });
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_speech_end', atMs: 800 });
    m.handle({ type: 'user_transcript', text: 'four one five five five five', final: true, atMs: 1090 });
    m.handle({ type: 'user_speech_start', atMs: 1200 });
    m.handle({ type: 'user_transcript', text: 'one two three four', final: false, atMs: 2400 });
    const ends = [2300, 2400, 2500].flatMap((at) =>
      types(m.handle({ type: 'tick', atMs: at, foregroundStartMs: 1400, foregroundEndMs: 2000 })),
    );
    // ten digits in all: a whole number, ended at the first tick with the partial after the voice
    expect(ends).toEqual(['end_caller_speech']);
  });

  it("leaves speech alone whose caller's voice rose at once: a soft start is no room, and their later words may be", () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_transcript', text: "that's all", final: false, atMs: 1200 });
    const at1600 = m.handle({ type: 'tick', atMs: 1600, foregroundStartMs: 64, foregroundEndMs: 1000 });
    expect(types(at1600)).toEqual([]);
  });

  it('leaves speech alone in a quiet room, where the VAD ends it with the voice', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_transcript', text: "that's all", final: false, atMs: 1200 });
    expect(types(m.handle({ type: 'tick', atMs: 1600 }))).toEqual([]);
  });

  it('leaves speech over the agent to the barge-in rules', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'agent_turn_started', atMs: 0 });
    m.handle({ type: 'user_speech_start', atMs: 100 });
    m.handle({ type: 'user_transcript', text: "that's all", final: false, atMs: 1400 });
    // the room led the caller's voice by 300 ms: only the agent's floor keeps the rule off
    const at1600 = m.handle({ type: 'tick', atMs: 1600, foregroundStartMs: 400, foregroundEndMs: 1000 });
    expect(types(at1600)).not.toContain('end_caller_speech');
  });
});
