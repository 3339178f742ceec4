import { describe, expect, it } from 'vitest';
import { ChatHistory } from '../../src/pipeline/ChatHistory.ts';
import {
  DIALOG_FAILED_REPLY,
  ReplyGenerator,
  type ReplyReporter,
} from '../../src/pipeline/ReplyGenerator.ts';
import { speakWith } from '../../src/pipeline/sentenceSpeech.ts';
import { FakeClock, ScriptedDialogDouble, ToneTts } from './doubles.ts';
import { type FramesOut, feedFrames, runFrames } from './runFrames.ts';

function replyGenerator() {
  const clock = new FakeClock();
  const dialog = new ScriptedDialogDouble(clock);
  const history = new ChatHistory();
  const reported: string[] = [];
  const reporter: ReplyReporter = {
    agentSpeaking: (turnId, heard) => reported.push(`speaking ${turnId}: ${heard}`),
    agentTurnEnded: (turnId, heard, interrupted) =>
      reported.push(`ended ${turnId}: ${heard} (${interrupted})`),
    turnMetrics: (t) => reported.push(`metrics ${t.turn}`),
    endCall: () => reported.push('end call'),
    handoff: (reason) => reported.push(`handoff: ${reason}`),
    callback: (phone) => reported.push(`callback: ${phone}`),
    stageFailed: (stage, error, apologised) =>
      reported.push(`${stage} failed: ${(error as Error).message} (apologised: ${apologised})`),
  };
  const processor = new ReplyGenerator({
    dialog: dialog.createSession(),
    speak: speakWith(new ToneTts(), 1),
    history,
    clock,
    reporter,
  });
  return { processor, dialog, history, reported };
}

const userTurn = (text: string) =>
  ({ kind: 'user_turn', text, speechEndAtMs: 0, finalAtMs: 0, atMs: 0, answer: true }) as const;

/** The sentences of each turn's audio, in order, and which turns were closed by reply_done. */
function spoken(out: FramesOut) {
  return out.down.flatMap((f) =>
    f.kind === 'agent_audio' && f.last
      ? [`${f.turnId}: ${f.sentence}`]
      : f.kind === 'reply_done'
        ? [`${f.turnId} done`]
        : [],
  );
}

describe('ReplyGenerator (frames in, frames out)', () => {
  it('answers a caller turn with the dialog reply as sentence audio, then reply_done; what the caller heard goes into the history', async () => {
    const { processor, dialog, history, reported } = replyGenerator();
    dialog.reply = () => [{ type: 'text', text: 'Two pizzas. Anything else?' }];
    const out = await runFrames(processor, [userTurn('two pizzas')]);
    expect(out.down[0]).toEqual({ kind: 'agent_turn_started', turnId: 0 });
    expect(spoken(out)).toEqual(['0: Two pizzas.', '0: Anything else?', '0 done']);
    await feedFrames(processor, [
      { kind: 'bot_started_speaking', turnId: 0, atMs: 10 },
      { kind: 'bot_turn_ended', turnId: 0, heardText: 'Two pizzas.', interrupted: true, atMs: 900 },
    ]);
    expect(out.up.map((f) => f.kind)).toEqual(['bot_started_speaking', 'bot_turn_ended']);
    expect(history.messages).toEqual([
      { role: 'user', content: 'two pizzas' },
      { role: 'assistant', content: 'Two pizzas.' },
    ]);
    expect(reported).toEqual(['ended 0: Two pizzas. (true)', 'metrics 0']);
  });

  it('tells the dialog what of its last reply was cut off before the caller heard its question', async () => {
    const { processor, dialog } = replyGenerator();
    dialog.reply = () => [{ type: 'text', text: 'Two pizzas. Anything else?' }];
    await runFrames(processor, [userTurn('two pizzas')]);
    await feedFrames(processor, [
      { kind: 'bot_turn_ended', turnId: 0, heardText: 'Two pizzas.', interrupted: true, atMs: 900 },
      userTurn('and a coke'),
    ]);
    expect(dialog.requests.map((r) => r.input.unheardAsk)).toEqual([undefined, 'Anything else?']);
  });

  it('a reply still playing when the caller is answered again is recorded as far as it played, before the caller turn', async () => {
    const { processor, dialog, history, reported } = replyGenerator();
    dialog.reply = () => [{ type: 'text', text: 'Two pizzas. Anything else?' }];
    await runFrames(processor, [userTurn('two pizzas')]);
    await feedFrames(processor, [
      { kind: 'bot_speaking_text', turnId: 0, heardText: 'Two pizzas.', atMs: 100 },
      userTurn('and a coke'),
      { kind: 'bot_turn_ended', turnId: 0, heardText: 'Two pizzas. Anything', interrupted: true, atMs: 900 },
    ]);
    expect(history.messages.map((m) => m.content)).toEqual(['two pizzas', 'Two pizzas.', 'and a coke']);
    expect(dialog.requests.map((r) => r.input.unheardAsk)).toEqual([undefined, 'Anything else?']);
    expect(reported.filter((r) => r.startsWith('ended'))).toEqual(['ended 0: Two pizzas. (true)']);
  });

  it('a fixed text (greeting) is spoken without asking the dialog', async () => {
    const { processor, dialog } = replyGenerator();
    const out = await runFrames(processor, [{ kind: 'speak', text: 'Hello there.' }]);
    expect(spoken(out)).toEqual(['0: Hello there.', '0 done']);
    expect(dialog.requests).toEqual([]);
  });

  it('an interruption cancels the reply in flight and is passed on to the output', async () => {
    const { processor, dialog } = replyGenerator();
    dialog.latencyMs = 500; // still thinking when the caller barges in
    const out = await runFrames(processor, [userTurn('two pizzas'), { kind: 'interruption' }]);
    expect(out.down).toEqual([{ kind: 'agent_turn_started', turnId: 0 }, { kind: 'interruption' }]);
    expect(dialog.requests[0]?.signal.aborted).toBe(true);
  });

  it('a failing dialog is reported and answered with an apology instead of silence', async () => {
    const { processor, dialog, reported } = replyGenerator();
    dialog.reply = () => {
      throw new Error('model unreachable');
    };
    const out = await runFrames(processor, [userTurn('two pizzas')]);
    expect(spoken(out)).toEqual([
      ...DIALOG_FAILED_REPLY.split(/(?<=[.?]) /).map((sentence) => `0: ${sentence}`),
      '0 done',
    ]);
    expect(reported).toEqual(['dialog failed: model unreachable (apologised: true)']);
  });

  it('a caller turn recorded during a takeover goes into the history without an answer', async () => {
    const { processor, dialog, history } = replyGenerator();
    const out = await runFrames(processor, [{ ...userTurn('hello'), answer: false }]);
    expect(out.down).toEqual([]);
    expect(dialog.requests).toEqual([]);
    expect(history.messages).toEqual([{ role: 'user', content: 'hello' }]);
  });
});
