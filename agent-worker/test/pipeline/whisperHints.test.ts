import { describe, expect, it } from 'vitest';
import { WhisperHints } from '../../src/pipeline/WhisperHints.ts';
import { runFrames } from './runFrames.ts';

describe('WhisperHints (frames in, frames out)', () => {
  it('turns each final whisper utterance into a hint and lets nothing through to turn-taking', async () => {
    const hints: string[] = [];
    const out = await runFrames(new WhisperHints((text) => hints.push(text)), [
      { kind: 'user_started_speaking', atMs: 0, streamMs: 0 },
      { kind: 'transcription', text: 'offer garlic', final: false, atMs: 300, streamMs: 300 },
      { kind: 'user_stopped_speaking', atMs: 900, streamMs: 900 },
      { kind: 'transcription', text: ' offer garlic bread ', final: true, atMs: 1000, streamMs: 1000 },
      { kind: 'transcription', text: '  ', final: true, atMs: 2000, streamMs: 2000 },
      { kind: 'caller_audio_processed', streamMs: 2000 },
    ]);
    expect(hints).toEqual(['offer garlic bread']);
    expect(out).toEqual({ down: [], up: [] });
  });
});
