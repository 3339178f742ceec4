import { describe, expect, it } from 'vitest';
import { CANNOT_HEAR_REPLY } from '../../src/pipeline/StageRecovery.ts';
import { LevelVad, ScriptedStt } from './doubles.ts';
import { createHarness } from './harness.ts';

/** The recogniser crashes when the caller's first utterance ends: its stream breaks, or endUtterance throws. */
async function recogniserCrashesMidCall(fallbackStt?: ScriptedStt, synchronously = false) {
  const h = createHarness({}, { fallbacks: fallbackStt ? { stt: fallbackStt } : {} });
  h.pipeline.start();
  await h.untilListening();
  h.stt.failAtNextUtteranceEnd = new Error('sherpa decoder crashed');
  h.stt.failSynchronously = synchronously;
  h.stt.utterances.push('one large pepperoni');
  await h.run(1000, 'speech');
  await h.run(600);
  return h;
}

describe('a stage failing mid-call', () => {
  it.each([
    ['its stream breaks', false],
    ['endUtterance throws', true],
  ])(
    'the recogniser fails (%s) and no fallback exists: the caller hears an apology, a human is asked for, the failure is reported',
    async (_how, synchronously) => {
      const h = await recogniserCrashesMidCall(undefined, synchronously);
      await h.untilListening();
      expect(h.of('stage.failed')).toEqual([
        expect.objectContaining({
          roomId: 'room-1',
          stage: 'stt',
          provider: 'scripted-double',
          message: 'sherpa decoder crashed',
          recovery: 'apology',
        }),
      ]);
      expect(h.of('handoff')).toEqual([
        { type: 'handoff', roomId: 'room-1', reason: 'speech recognition failed' },
      ]);
      const spoken = h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
      expect(spoken.at(-1)).toMatchObject({ text: CANNOT_HEAR_REPLY, interrupted: false });
      // the dead recogniser is not fed any more
      const fed = h.stt.audioSamples;
      await h.run(600, 'speech');
      expect(h.stt.audioSamples).toBe(fed);
      // nor is the caller, told a colleague is coming, asked to say it again
      await h.run(10_000);
      expect(h.of('transcript').filter((t) => t.speaker === 'agent' && t.final)).toHaveLength(spoken.length);
    },
  );

  it('the recogniser throws and the fallback recogniser takes over: the next utterance is heard and answered', async () => {
    const offline = new ScriptedStt('pocketsphinx');
    const h = await recogniserCrashesMidCall(offline);
    expect(h.of('stage.failed')).toEqual([
      expect.objectContaining({
        stage: 'stt',
        provider: 'scripted-double',
        recovery: 'fallback',
        fallbackProvider: 'pocketsphinx',
      }),
    ]);
    expect(h.of('handoff')).toEqual([]);
    offline.utterances.push('two garlic breads');
    await h.run(1000, 'speech');
    await h.run(600);
    await h.untilListening();
    expect(h.dialog.requests.map((r) => r.input.userText)).toEqual(['two garlic breads']);
    const spoken = h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
    expect(spoken.at(-1)?.text).toBe('You said two garlic breads.');
  });

  it('the dialog throws: the caller hears the apology and the failure is reported with the dialog provider', async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    h.dialog.reply = () => {
      throw new Error('model unreachable');
    };
    h.stt.utterances.push('one large pepperoni');
    await h.run(1000, 'speech');
    await h.run(600);
    await h.untilListening();
    expect(h.of('stage.failed')).toEqual([
      expect.objectContaining({ stage: 'dialog', provider: 'dialog-double', recovery: 'apology' }),
    ]);
  });

  it('the VAD throws and the offline VAD takes over: the caller is heard and answered again', async () => {
    const h = createHarness({}, { fallbacks: { vad: new LevelVad(200, 'energy') } });
    h.pipeline.start();
    await h.untilListening();
    h.vad.failAtNextSpeech = new Error('onnxruntime session failed');
    await h.run(200, 'speech');
    await h.run(200);
    expect(h.of('stage.failed')).toEqual([
      expect.objectContaining({
        stage: 'vad',
        provider: 'level-double',
        message: 'onnxruntime session failed',
        recovery: 'fallback',
        fallbackProvider: 'energy',
      }),
    ]);
    h.stt.utterances.push('two garlic breads');
    await h.run(1000, 'speech');
    await h.run(600);
    await h.untilListening();
    expect(h.dialog.requests.map((r) => r.input.userText)).toEqual(['two garlic breads']);
    expect(h.of('handoff')).toEqual([]);
  });

  it('the VAD throws while the caller speaks and no fallback exists: the utterance ends there, the agent apologises and asks for a human', async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    h.stt.utterances.push('one large');
    await h.run(600, 'speech');
    h.vad.failAtNextSpeech = new Error('onnxruntime session failed');
    await h.run(600, 'speech');
    await h.untilListening();
    expect(h.of('stage.failed')).toEqual([
      expect.objectContaining({ stage: 'vad', provider: 'level-double', recovery: 'apology' }),
    ]);
    expect(h.of('handoff')).toEqual([
      { type: 'handoff', roomId: 'room-1', reason: 'speech detection failed' },
    ]);
    const spoken = h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
    expect(spoken.map((t) => t.text)).toContain(CANNOT_HEAR_REPLY);
  });
});
