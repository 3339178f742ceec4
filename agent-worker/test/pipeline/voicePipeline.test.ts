import { CodedError } from '@voiceroom/protocol';
import { describe, expect, it } from 'vitest';
import { DIALOG_FAILED_REPLY } from '../../src/pipeline/ReplyGenerator.ts';
import { audioBetween, createHarness, greeted, LONG_REPLY } from './harness.ts';

describe('VoicePipeline', () => {
  it('plays the greeting first, without asking the dialog, and records it as heard', async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.run(100);
    expect(h.played.slice(0, 5).some((p) => p.audio)).toBe(true);
    expect(h.dialog.requests).toHaveLength(0);
    await h.untilListening();
    const states = h.of('agent.state').map((e) => e.state);
    expect(states).toEqual(['listening', 'thinking', 'speaking', 'listening']);
    const final = h.of('transcript').find((t) => t.speaker === 'agent' && t.final);
    expect(final).toMatchObject({ text: 'Hello there. How can I help?', interrupted: false });
    expect(h.pipeline.history.messages).toEqual([
      { role: 'assistant', content: 'Hello there. How can I help?' },
    ]);
    // 6 words x 300 ms of audio, all pulled
    expect(audioBetween(h, 0).length).toBe(90);
  });

  it('answers only after the endpointing delay has passed since the end of speech', async () => {
    for (const endpointingDelayMs of [300, 900]) {
      const h = await greeted({ turn: { endpointingDelayMs } });
      h.stt.utterances.push('two large pepperoni pizzas');
      await h.run(1000, 'speech');
      const speechEnd = h.clock.now();
      await h.run(endpointingDelayMs + 400);
      expect(h.dialog.requests).toHaveLength(1);
      const waited = (h.dialog.requests[0]?.atMs ?? 0) - speechEnd;
      expect(waited).toBeGreaterThanOrEqual(endpointingDelayMs);
      expect(waited).toBeLessThan(endpointingDelayMs + 40);
      expect(h.dialog.requests[0]?.input.userText).toBe('two large pepperoni pizzas');
    }
  });

  it('reports the caller transcript (partials then final, one segment) and the turn metrics', async () => {
    const h = await greeted();
    h.stt.utterances.push('two large pepperoni pizzas');
    await h.run(1400, 'speech');
    await h.run(400);
    await h.untilListening();
    const customer = h.of('transcript').filter((t) => t.speaker === 'customer');
    expect(customer.at(-1)).toMatchObject({
      final: true,
      text: 'two large pepperoni pizzas',
      segmentId: 'customer-0',
    });
    expect(customer.filter((t) => !t.final).length).toBeGreaterThan(0);
    expect(new Set(customer.map((t) => t.segmentId))).toEqual(new Set(['customer-0']));
    const [metrics] = h.of('turn.metrics');
    expect(metrics).toMatchObject({ turn: 0, interrupted: false });
    expect(metrics?.eouMs).toBeGreaterThanOrEqual(300);
    expect(metrics?.voiceToVoiceMs).toBeGreaterThanOrEqual(metrics?.eouMs ?? 0);
    expect(metrics?.voiceToVoiceMs).toBeLessThan(400);
    const agentFinal = h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
    expect(agentFinal.at(-1)?.text).toBe('You said two large pepperoni pizzas.');
  });

  it('barge-in pauses the output at once, cancels dialog and TTS, and keeps only what the caller heard', async () => {
    const h = await greeted();
    h.dialog.reply = () =>
      LONG_REPLY.split(/(?<=[.?]) /).map((text) => ({ type: 'text' as const, text: `${text} ` }));
    h.stt.utterances.push('I want a pizza', 'no make it two');
    await h.run(1000, 'speech');
    await h.run(600);
    expect(h.pipeline.state).toBe('speaking');
    await h.run(2000);
    const bargeAt = h.clock.now();
    const playedMs = audioBetween(h, bargeAt - 2600, bargeAt).length * 20;
    await h.run(800, 'speech');
    // nothing after the first frame of caller speech went out
    expect(audioBetween(h, bargeAt).filter((t) => t > bargeAt + 20)).toEqual([]);
    const request = h.dialog.requests[0];
    expect(request?.signal.aborted).toBe(true);
    expect(h.tts.synthesized.every((s) => s.signal.aborted || s.text !== 'Anything else for you?')).toBe(
      true,
    );
    const cut = h.of('transcript').find((t) => t.speaker === 'agent' && t.interrupted);
    // the double speaks 300 ms per word
    const heardWords = LONG_REPLY.split(' ').slice(0, Math.floor(playedMs / 300));
    expect(heardWords.length).toBeGreaterThan(6);
    expect(cut?.text).toBe(heardWords.join(' '));
    expect(h.pipeline.history.messages.at(-1)).toEqual({ role: 'assistant', content: cut?.text });
    expect(h.of('turn.metrics').at(-1)?.interrupted).toBe(true);
    await h.run(700);
    expect(h.dialog.requests).toHaveLength(2);
    expect(h.dialog.requests[1]?.input.userText).toBe('no make it two');
    expect(h.dialog.requests[1]?.input.history.map((m) => m.content)).toEqual([
      'Hello there. How can I help?',
      'I want a pizza',
      cut?.text,
      'no make it two',
    ]);
  });

  it('a short noise with no words is a false interruption: the reply resumes where it paused, nothing lost', async () => {
    const h = await greeted();
    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('I want a pizza');
    await h.run(1000, 'speech');
    await h.run(1200);
    const noiseAt = h.clock.now();
    await h.run(100, 'speech');
    await h.run(300);
    expect(h.pipeline.state).toBe('speaking');
    await h.untilListening();
    expect(h.of('agent.state').map((e) => e.state)).toContain('paused');
    expect(audioBetween(h, noiseAt + 20, noiseAt + 300)).toEqual([]);
    const final = h
      .of('transcript')
      .filter((t) => t.speaker === 'agent' && t.final)
      .at(-1);
    expect(final).toMatchObject({ text: LONG_REPLY, interrupted: false });
    const words = LONG_REPLY.split(' ').length;
    expect(audioBetween(h, 2000 + 1000).length).toBe((words * 300) / 20);
    expect(h.dialog.requests).toHaveLength(1);
  });

  it('resumes after falseInterruptionTimeoutMs when the recogniser gives no final for the noise', async () => {
    const h = await greeted({ turn: { falseInterruptionTimeoutMs: 800 } });
    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('I want a pizza');
    await h.run(1000, 'speech');
    await h.run(1000);
    h.stt.withholdFinals = true;
    const noiseAt = h.clock.now();
    await h.run(100, 'speech');
    await h.run(600);
    expect(h.pipeline.state).toBe('paused');
    await h.run(200);
    expect(h.pipeline.state).toBe('speaking');
    const silent = audioBetween(h, noiseAt, noiseAt + 900);
    expect(silent.length).toBeGreaterThan(0);
    expect(silent[0]).toBeGreaterThanOrEqual(noiseAt + 800);
    await h.untilListening();
    expect(
      h
        .of('transcript')
        .filter((t) => t.speaker === 'agent' && t.final)
        .at(-1)?.text,
    ).toBe(LONG_REPLY);
  });

  it('a pause whose turn ends without audio does not hold back the next reply', async () => {
    const h = await greeted();
    h.dialog.reply = () => [];
    h.dialog.latencyMs = 200;
    h.stt.utterances.push('a coke', '');
    await h.run(600, 'speech');
    await h.run(320);
    expect(h.dialog.requests).toHaveLength(1);
    // a short noise pauses the output; the (empty) reply ends during that pause
    await h.run(60, 'speech');
    await h.run(400);
    expect(
      h
        .of('agent.state')
        .map((e) => e.state)
        .slice(-3),
    ).toEqual(['thinking', 'paused', 'listening']);
    h.dialog.latencyMs = 0;
    h.dialog.reply = (text) => [{ type: 'text', text: `You said ${text}.` }];
    h.stt.utterances.push('two pizzas');
    const askedAt = h.clock.now();
    await h.run(600, 'speech');
    await h.run(1500);
    expect(audioBetween(h, askedAt).length).toBeGreaterThan(10);
  });

  it('caller audio arriving in a burst after a stall is judged by its length, not its arrival time', async () => {
    const h = await greeted();
    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('I want a pizza');
    await h.run(800, 'speech');
    await h.run(1500);
    expect(h.pipeline.state).toBe('speaking');
    // no words for it: only its duration can make it an interruption (falseInterruptionTimeoutMs of wordless speech)
    h.stt.withholdFinals = true;
    // 1.6 s of speech delivered at once: on the wall clock it would last 0 ms (a false interruption)
    await h.stallThenBurst(1600, 'speech');
    await h.run(600);
    expect(h.of('transcript').some((t) => t.speaker === 'agent' && t.interrupted)).toBe(true);
    expect(h.pipeline.state).toBe('listening');
  });

  it('a stall does not end the caller turn early: endpointing waits for the silence itself to arrive', async () => {
    const h = await greeted();
    h.stt.utterances.push('two large', 'and a coke');
    await h.run(600, 'speech');
    await h.run(220);
    // the wall clock passes the endpointing delay while the audio of the caller going on is stuck
    await h.stallThenBurst(400, 'speech');
    await h.run(400, 'speech');
    await h.run(600);
    expect(h.dialog.requests.map((r) => r.input.userText)).toEqual(['two large, and a coke']);
  });

  it('with a word rule, two recognised words interrupt before the duration rule would', async () => {
    const h = await greeted({ turn: { minInterruptionMs: 5000, minInterruptionWords: 2 } });
    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('pizza please');
    await h.run(1000, 'speech');
    await h.run(1000);
    h.stt.utterances.push('wait stop now');
    const bargeAt = h.clock.now();
    await h.run(700, 'speech');
    const cut = h.of('transcript').find((t) => t.speaker === 'agent' && t.interrupted);
    // two words = 600 ms of caller audio in the double; the duration rule alone would need 5 s
    const callStartMs = 1000;
    expect(cut?.endMs).toBeLessThanOrEqual(bargeAt - callStartMs + 640);
    expect(h.pipeline.state).toBe('listening');
    expect(audioBetween(h, bargeAt + 20)).toEqual([]);
  });

  it('never interrupts itself: its own audio never reaches the VAD, and silence lets the reply finish', async () => {
    const h = await greeted();
    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('I want a pizza');
    await h.run(1000, 'speech');
    await h.untilListening();
    expect(h.vad.samplesPushed).toBe(h.callerSamplesPushed);
    expect(h.of('agent.state').map((e) => e.state)).not.toContain('paused');
    expect(
      h
        .of('transcript')
        .filter((t) => t.speaker === 'agent' && t.final)
        .at(-1)?.interrupted,
    ).toBe(false);
  });

  it('the caller speaking while the agent is still thinking cancels the pending reply', async () => {
    const h = await greeted();
    h.stt.utterances.push('one pizza', 'and a coke');
    await h.run(600, 'speech');
    await h.run(300);
    expect(h.pipeline.state).not.toBe('listening');
    await h.run(600, 'speech');
    await h.run(600);
    expect(h.dialog.requests.length).toBe(2);
    expect(h.dialog.requests[0]?.signal.aborted).toBe(true);
    expect(h.dialog.requests[1]?.input.userText).toBe('and a coke');
  });

  it('end_call is emitted after the goodbye has been played, handoff at once', async () => {
    const h = await greeted();
    h.dialog.reply = () => [
      { type: 'handoff', reason: 'caller asked for a person' },
      { type: 'text', text: 'Goodbye now.' },
      { type: 'end_call' },
    ];
    h.stt.utterances.push('get me a person');
    await h.run(800, 'speech');
    await h.run(400);
    expect(h.of('handoff')).toEqual([
      { type: 'handoff', roomId: 'room-1', reason: 'caller asked for a person' },
    ]);
    expect(h.of('end_call')).toHaveLength(0);
    await h.untilListening();
    expect(h.of('end_call')).toHaveLength(1);
  });

  it('a failing dialog (model unreachable) is answered with an apology instead of silence', async () => {
    const h = await greeted();
    h.dialog.reply = () => {
      throw new CodedError('dialog_unreachable', 'connect ECONNREFUSED');
    };
    h.stt.utterances.push('two pizzas');
    await h.run(800, 'speech');
    await h.run(600);
    await h.untilListening();
    const final = h
      .of('transcript')
      .filter((t) => t.speaker === 'agent' && t.final)
      .at(-1);
    expect(final).toMatchObject({ text: DIALOG_FAILED_REPLY, interrupted: false });
    h.dialog.reply = (text) => [{ type: 'text', text: `You said ${text}.` }];
    h.stt.utterances.push('two pizzas');
    await h.run(800, 'speech');
    await h.run(600);
    await h.untilListening();
    expect(
      h
        .of('transcript')
        .filter((t) => t.speaker === 'agent' && t.final)
        .at(-1)?.text,
    ).toBe('You said two pizzas.');
  });

  it('close cancels in-flight work, is idempotent and silences the output', async () => {
    const h = await greeted();
    h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
    h.stt.utterances.push('I want a pizza');
    await h.run(1000, 'speech');
    await h.run(800);
    h.pipeline.close();
    h.pipeline.close();
    expect(h.pipeline.pullAudio()).toBeNull();
    expect(h.stt.closed).toBe(true);
    expect(h.tts.synthesized.at(-1)?.signal.aborted).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
  });
});
