import { describe, expect, it } from 'vitest';
import type { PlannedTurn } from '../../bench/voicePlan.ts';
import type { AudioSample } from '../../bench/voiceScenario.ts';
import { scoreTurns, summarize } from '../../bench/voiceTurns.ts';

const voice = { engine: 'flite', name: 'awb' } as const;
const plan: PlannedTurn[] = [
  { kind: 'long_answer', text: 'could you read me your menu please', voice },
  { kind: 'barge_in', text: 'hang on add one garlic bread', voice },
];
// the caller asks 0-1000, the agent answers 1500-5000 (cut at 3200 by the barge-in said 3000-4000), then the old reply
// resumes at 4030-4400 and the new reply starts at 5000
const said = [
  { startT: 0, endT: 1_000, heard: 'could you read me your menu please' },
  { startT: 3_000, endT: 4_000, heard: 'hang on add one garlic bread' },
];
const spans: Array<[number, number]> = [
  [1_500, 3_200],
  [4_030, 4_400],
  [5_000, 6_000],
];
const samples: AudioSample[] = [];
let packets = 0;
for (let t = 0; t <= 7_000; t += 10) {
  const on = spans.some(([a, b]) => t >= a && t < b);
  if (on) packets++;
  samples.push({ t, rms: on ? 0.2 : 0.001, inPackets: packets, inLastPacketT: on ? t : 0 });
}

describe('voice benchmark turn scoring', () => {
  it("does not take a resumed old reply for the answer: voice to voice runs to the new reply's onset", () => {
    const [question, barge] = scoreTurns(plan, said, samples, [1_480, 4_990]);
    expect(question?.voice_to_voice_ms).toBe(500);
    expect(barge?.voice_to_voice_ms).toBe(1_000);
    expect(barge?.first_packet_ms).toBe(1_000);
    expect(barge?.barge_in).toEqual({ kind: 'stopped', stopMs: 190 });
  });

  it('counts a turn with no new reply as unanswered rather than timing the resumed audio', () => {
    const turns = scoreTurns(plan, said, samples, [1_480]);
    expect(turns[1]?.voice_to_voice_ms).toBeUndefined();
    expect(summarize(turns).headline.voice_to_voice_ms).toMatchObject({ n: 1, unanswered: 1 });
  });
});
