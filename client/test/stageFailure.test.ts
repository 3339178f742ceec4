import type { StageFailedEvent } from '@voiceroom/sdk';
import { describe, expect, it } from 'vitest';
import { describeStageFailure } from '../src/console/stageFailure.ts';

const failure = (over: Partial<StageFailedEvent>): StageFailedEvent => ({
  roomId: 'r',
  stage: 'stt',
  provider: 'sherpa-onnx',
  message: 'decoder crashed',
  recovery: 'fallback',
  atMs: 0,
  ...over,
});

describe('describeStageFailure', () => {
  it('says which stage failed and how the call carried on, asking staff to take over when the AI cannot go on', () => {
    expect(describeStageFailure(failure({ fallbackProvider: 'pocketsphinx' }))).toBe(
      "The AI's speech recognition (sherpa-onnx) failed; pocketsphinx took over.",
    );
    expect(describeStageFailure(failure({ stage: 'vad', provider: 'silero', recovery: 'apology' }))).toBe(
      "The AI's speech detection (silero) failed; it apologised to the caller and asks for a human: take the call over.",
    );
    expect(describeStageFailure(failure({ stage: 'dialog', provider: 'openai', recovery: 'apology' }))).toBe(
      "The AI's dialog (openai) failed; it apologised to the caller.",
    );
    expect(describeStageFailure(failure({ stage: 'tts', provider: 'kokoro', recovery: 'handoff' }))).toMatch(
      /take the call over/,
    );
  });
});
