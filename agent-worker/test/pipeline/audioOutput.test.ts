import { describe, expect, it } from 'vitest';
import { AudioOutput } from '../../src/pipeline/AudioOutput.ts';
import { FrameProcessor } from '../../src/pipeline/FrameProcessor.ts';
import type { DownstreamFrame, UpstreamFrame } from '../../src/pipeline/frames.ts';
import { FakeClock } from './doubles.ts';

class Recorder extends FrameProcessor {
  readonly up: UpstreamFrame[] = [];
  processDown(frame: DownstreamFrame): void {
    this.pushDown(frame);
  }
  override processUp(frame: UpstreamFrame): void {
    this.up.push(frame);
  }
  send(frame: DownstreamFrame): void {
    this.pushDown(frame);
  }
}

function setup() {
  const recorder = new Recorder();
  const output = recorder.link(new AudioOutput({ sampleRate: 16000, clock: new FakeClock() }));
  return { recorder, output };
}

const pcm = (samples: number, value = 1000) => new Int16Array(samples).fill(value);

describe('AudioOutput', () => {
  it('hands out exactly 20 ms frames in order and reports the start and the end of the turn', () => {
    const { recorder, output } = setup();
    recorder.send({ kind: 'agent_turn_started', turnId: 1 });
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'Hi there.', pcm: pcm(500, 1), last: false });
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'Hi there.', pcm: pcm(300, 2), last: true });
    recorder.send({ kind: 'reply_done', turnId: 1 });
    const frames = [output.pull(), output.pull(), output.pull()];
    expect(frames.map((f) => f?.length)).toEqual([320, 320, 320]);
    expect(frames[1]?.[179]).toBe(1);
    expect(frames[1]?.[180]).toBe(2);
    expect(frames[2]?.[159]).toBe(2);
    expect(frames[2]?.[160]).toBe(0); // padded end of the reply
    expect(output.pull()).toBeNull();
    expect(recorder.up.map((f) => f.kind)).toEqual([
      'bot_speaking_text',
      'bot_started_speaking',
      'bot_turn_ended',
    ]);
    expect(recorder.up.at(-1)).toMatchObject({ heardText: 'Hi there.', interrupted: false });
  });

  it('asks the media path to drop queued audio when the caller talks over playing audio, never at the end of a reply', () => {
    const recorder = new Recorder();
    let cancels = 0;
    const output = recorder.link(
      new AudioOutput({ sampleRate: 16000, clock: new FakeClock(), onCancel: () => cancels++ }),
    );
    recorder.send({ kind: 'agent_turn_started', turnId: 1 });
    recorder.send({ kind: 'pause_output' }); // nothing played yet: nothing to drop
    recorder.send({ kind: 'resume_output' });
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'Hi.', pcm: pcm(640), last: true });
    recorder.send({ kind: 'reply_done', turnId: 1 });
    output.pull();
    output.pull();
    expect(output.pull()).toBeNull(); // the reply ended on its own
    expect(cancels).toBe(0);
    recorder.send({ kind: 'agent_turn_started', turnId: 2 });
    recorder.send({ kind: 'agent_audio', turnId: 2, sentence: 'A long one.', pcm: pcm(3200), last: true });
    output.pull();
    recorder.send({ kind: 'pause_output' });
    recorder.send({ kind: 'interruption' }); // already paused: dropped once
    expect(cancels).toBe(1);
  });

  it('waits rather than padding when synthesis is behind mid-sentence', () => {
    const { recorder, output } = setup();
    recorder.send({ kind: 'agent_turn_started', turnId: 1 });
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'Hello.', pcm: pcm(100), last: false });
    expect(output.pull()).toBeNull();
    expect(output.underruns).toBe(1);
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'Hello.', pcm: pcm(300), last: false });
    expect(output.pull()?.length).toBe(320);
  });

  it('pause holds the audio, resume continues from the same sample', () => {
    const { recorder, output } = setup();
    recorder.send({ kind: 'agent_turn_started', turnId: 1 });
    const ramp = Int16Array.from({ length: 1280 }, (_, i) => i);
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'A b c d.', pcm: ramp, last: true });
    expect(output.pull()?.[0]).toBe(0);
    recorder.send({ kind: 'pause_output' });
    expect(output.pull()).toBeNull();
    expect(output.pull()).toBeNull();
    recorder.send({ kind: 'resume_output' });
    expect(output.pull()?.[0]).toBe(320);
  });

  it('interruption drops queued audio and reports the words heard, in proportion to samples played', () => {
    const { recorder, output } = setup();
    recorder.send({ kind: 'agent_turn_started', turnId: 1 });
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'One two.', pcm: pcm(640), last: true });
    recorder.send({
      kind: 'agent_audio',
      turnId: 1,
      sentence: 'Three four five six.',
      pcm: pcm(1280),
      last: true,
    });
    output.pull();
    output.pull();
    output.pull(); // 640 + 320 samples: sentence one and a quarter of sentence two
    recorder.send({ kind: 'interruption' });
    expect(output.queuedSamples).toBe(0);
    expect(output.pull()).toBeNull();
    expect(recorder.up.at(-1)).toMatchObject({
      kind: 'bot_turn_ended',
      heardText: 'One two. Three',
      interrupted: true,
    });
  });

  it('ignores audio of a turn that already ended', () => {
    const { recorder, output } = setup();
    recorder.send({ kind: 'agent_turn_started', turnId: 1 });
    recorder.send({ kind: 'interruption' });
    recorder.send({ kind: 'agent_audio', turnId: 1, sentence: 'Late.', pcm: pcm(640), last: true });
    expect(output.pull()).toBeNull();
    expect(output.queuedSamples).toBe(0);
  });

  it('a turn that produced no audio ends when its reply is done', () => {
    const { recorder } = setup();
    recorder.send({ kind: 'agent_turn_started', turnId: 3 });
    recorder.send({ kind: 'reply_done', turnId: 3 });
    expect(recorder.up).toEqual([
      expect.objectContaining({ kind: 'bot_turn_ended', turnId: 3, heardText: '' }),
    ]);
  });
});
