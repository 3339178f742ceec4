import { describe, expect, it } from 'vitest';
import { type CallerTranscript, CallerTranscripts } from '../../src/pipeline/CallerTranscripts.ts';
import type { DownstreamFrame } from '../../src/pipeline/frames.ts';
import { runFrames } from './runFrames.ts';

const said = (
  text: string,
  final: boolean,
  atMs: number,
  heard: { confidence?: number; alternatives?: string[] } = {},
): DownstreamFrame => ({
  kind: 'transcription',
  text,
  final,
  atMs,
  streamMs: atMs,
  ...heard,
});

describe('CallerTranscripts (frames in, frames out)', () => {
  it('passes every frame on unchanged and reports one segment per utterance, skipping utterances with no words', async () => {
    const reported: CallerTranscript[] = [];
    const framesIn: DownstreamFrame[] = [
      { kind: 'user_started_speaking', atMs: 1000, streamMs: 0 },
      said('two', false, 1300),
      { kind: 'user_stopped_speaking', atMs: 1800, streamMs: 800 },
      said(' two pizzas ', true, 1900),
      { kind: 'user_started_speaking', atMs: 3000, streamMs: 2000 },
      { kind: 'user_stopped_speaking', atMs: 3200, streamMs: 2200 },
      said('', true, 3300),
      { kind: 'user_started_speaking', atMs: 4000, streamMs: 3000 },
      said('thanks', true, 4500),
    ];
    const out = await runFrames(new CallerTranscripts((t) => reported.push(t)), framesIn);
    expect(out.down).toEqual(framesIn);
    expect(reported).toEqual([
      { segmentId: 'customer-0', text: 'two', final: false, startAtMs: 1000, endAtMs: 1300 },
      { segmentId: 'customer-0', text: 'two pizzas', final: true, startAtMs: 1000, endAtMs: 1800 },
      // the wordless utterance used up segment 1; still speaking, so the segment ends at the final
      { segmentId: 'customer-2', text: 'thanks', final: true, startAtMs: 4000, endAtMs: 4500 },
    ]);
  });

  it("reports a final's confidence and other hypotheses, as the dialog is given them", async () => {
    const reported: CallerTranscript[] = [];
    await runFrames(new CallerTranscripts((t) => reported.push(t)), [
      { kind: 'user_started_speaking', atMs: 1000, streamMs: 0 },
      said('two', false, 1300),
      said('two pizzas', true, 1900, { confidence: 0.04, alternatives: ['two pizza', 'to pizzas'] }),
    ]);
    expect(
      reported.map(({ text, confidence, alternatives }) => ({ text, confidence, alternatives })),
    ).toEqual([
      { text: 'two', confidence: undefined, alternatives: undefined },
      { text: 'two pizzas', confidence: 0.04, alternatives: ['two pizza', 'to pizzas'] },
    ]);
  });
});
