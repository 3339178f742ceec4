import { describe, expect, it } from 'vitest';
import { agentFinals, audioBetween, LONG_REPLY, speakingLongReply } from './harness.ts';

describe('VoicePipeline backchannels', () => {
  it.each(['yeah', 'uh huh', 'okay', 'mm hmm', 'right'])(
    'a caller saying %j over the reply does not stop it, and is not answered',
    async (backchannel) => {
      const h = await speakingLongReply();
      h.stt.utterances.push(backchannel);
      await h.run(600, 'speech');
      await h.run(400);
      expect(h.pipeline.state).toBe('speaking');
      await h.untilListening();
      expect(agentFinals(h).at(-1)).toMatchObject({ text: LONG_REPLY, interrupted: false });
      await h.run(1500);
      expect(h.dialog.requests).toHaveLength(1);
    },
  );

  it('a short backchannel the recogniser made into other words ("mm hmm" -> "seven eight seven") does not stop it', async () => {
    const h = await speakingLongReply();
    h.stt.utterances.push('seven eight seven');
    const overAt = h.clock.now();
    await h.run(500, 'speech');
    // quiet while it is judged...
    expect(audioBetween(h, overAt).filter((t) => t > overAt + 20 && t < overAt + 500)).toEqual([]);
    await h.run(600);
    // ...then the reply goes on, whole, and the words are not answered
    expect(h.pipeline.state).toBe('speaking');
    await h.untilListening();
    expect(agentFinals(h).at(-1)).toMatchObject({ text: LONG_REPLY, interrupted: false });
    await h.run(1500);
    expect(h.dialog.requests).toHaveLength(1);
  });

  it('the recogniser is told the reply plays: a backchannel its open model heard as "no" but its over-agent grammar as "okay" does not stop it', async () => {
    const h = await speakingLongReply();
    h.stt.utterances.push('no');
    h.stt.overAgentPhrases.set('no', 'okay');
    await h.run(500, 'speech');
    await h.run(600);
    expect(h.pipeline.state).toBe('speaking');
    await h.untilListening();
    expect(agentFinals(h).at(-1)).toMatchObject({ text: LONG_REPLY, interrupted: false });
  });

  it.each(['wait', 'no', 'stop'])(
    '%j over the reply stops it at once and becomes the next turn',
    async (word) => {
      const h = await speakingLongReply();
      h.stt.utterances.push(word);
      const bargeAt = h.clock.now();
      await h.run(400, 'speech');
      expect(audioBetween(h, bargeAt).filter((t) => t > bargeAt + 20)).toEqual([]);
      await h.run(1000);
      expect(agentFinals(h).find((t) => t.interrupted)).toBeDefined();
      expect(h.dialog.requests[1]?.input.userText).toBe(word);
    },
  );

  it('a real sentence over the reply still stops it within a frame', async () => {
    const h = await speakingLongReply();
    h.stt.utterances.push('can i also get a coke');
    const bargeAt = h.clock.now();
    await h.run(1200, 'speech');
    expect(audioBetween(h, bargeAt).filter((t) => t > bargeAt + 20)).toEqual([]);
    await h.run(800);
    expect(agentFinals(h).find((t) => t.interrupted)).toBeDefined();
    expect(h.dialog.requests[1]?.input.userText).toBe('can i also get a coke');
  });
});
