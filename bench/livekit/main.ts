/**
 * `npm run bench:livekit` -> bench/results/livekit.json. Two parts:
 * - voice: bench:voice's scenario (bench/voiceConversation.ts: ordinary turns, long answers barged in over, noise
 *   and "um" over the agent, the real recordings) on both backends in the same run, scored from the caller's side
 *   as bench:voice scores it: mediasoup with its Chromium caller through the real server (the existing path), and
 *   LiveKit with an rtc-node caller in a room of a real livekit-server node and the agent worker's LiveKitTransport
 *   in its own process. ratio_v2v_p50 = livekit / mediasoup voice-to-voice p50.
 * - load_test: rtc-node publishers and subscribers against a two-node LiveKit cluster (Redis database
 *   LK_BENCH_REDIS_DB, default 11), in place of `lk load-test` (lk_load_test: null, with the reason).
 * LK_BARGE_INS (default 6) sizes the conversation; LK_LOAD_PUBLISHERS (4), LK_LOAD_SUBSCRIBERS (8) and
 * LK_LOAD_SECONDS (30) the load step. Progress goes to stderr as JSON lines.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { REAL_SPEECH_DIR } from '../../agent-worker/test/stages/fixtures/speech.ts';
import { startLiveKitCluster, type TestLiveKit } from '../../test/helpers/livekit.ts';
import { runBench, writeBenchResult } from '../benchResult.ts';
import { conversationSpeech } from '../voiceConversation.ts';
import { planConversation, realClips } from '../voicePlan.ts';
import { availableCallerVoices } from '../voiceScenario.ts';
import { type ScoredTurn, summarize } from '../voiceTurns.ts';
import { liveKitConversation } from './liveKitVoice.ts';
import { runLoadTest } from './loadTest.ts';
import { mediasoupConversation } from './mediasoupVoice.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results', 'livekit.json');
const BARGE_INS = Number(process.env.LK_BARGE_INS ?? 6);
const PUBLISHERS = Number(process.env.LK_LOAD_PUBLISHERS ?? 4);
const SUBSCRIBERS = Number(process.env.LK_LOAD_SUBSCRIBERS ?? 8);
const LOAD_SECONDS = Number(process.env.LK_LOAD_SECONDS ?? 30);
const REDIS_DB = Number(process.env.LK_BENCH_REDIS_DB ?? 11);
const SPEECH_DIR = process.env.SPEECH_DIR ?? REAL_SPEECH_DIR;

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: 'livekit', msg, ...extra })}\n`);
const round = (n: number) => Math.round(n * 10) / 10;

function voiceFigures(turns: ScoredTurn[]) {
  const { headline } = summarize(turns);
  return {
    voice_to_voice_ms: headline.voice_to_voice_ms,
    barge_in_stop_ms: headline.barge_in_stop_ms,
    false_interruptions: headline.false_interruptions,
    wer: headline.wer,
    turns: headline.turns,
  };
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-livekit-'));
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const plan = planConversation(BARGE_INS, await availableCallerVoices(), realClips(SPEECH_DIR));
  const pcm = await conversationSpeech(plan, workDir, SPEECH_DIR);
  log('conversation planned', { turns: plan.length, bargeIns: BARGE_INS });
  let cluster: TestLiveKit | undefined;
  try {
    const load = { before: loadavg().map(round) };
    log('mediasoup: conversation');
    const mediasoup = await mediasoupConversation({ plan, pcm, log, workDir });
    const loadAfterMediasoup = loadavg().map(round);
    // a two-node cluster on the local Redis (nodes 7910-7911, UDP 53000-53399, metrics 7914-7915: apart from every
    // test's LiveKit range, see test/helpers/livekit.ts, so tests may run meanwhile); the voice call runs on the first
    cluster = await startLiveKitCluster(2, {
      basePort: 7910,
      rtcBasePort: 53_000,
      redisDb: REDIS_DB,
      prometheusBasePort: 7914,
    });
    log('livekit: conversation');
    const livekit = await liveKitConversation({ plan, pcm, log, livekit: cluster, config });
    const loadAfterLiveKit = loadavg().map(round);
    log('livekit: load test', { publishers: PUBLISHERS, subscribers: SUBSCRIBERS, seconds: LOAD_SECONDS });
    const loadTest = await runLoadTest({
      cluster,
      publishers: PUBLISHERS,
      subscribers: SUBSCRIBERS,
      durationS: LOAD_SECONDS,
      log,
    });
    const voice = { mediasoup: voiceFigures(mediasoup), livekit: voiceFigures(livekit) };
    const result = {
      lk_load_test: null,
      lk_load_test_reason:
        'The lk CLI (github.com/livekit/livekit-cli/v2/cmd/lk) cannot be installed here: the Go module proxy answers 403 for it. load_test is an rtc-node stand-in.',
      load_test: loadTest,
      voice,
      ratio_v2v_p50:
        round((voice.livekit.voice_to_voice_ms.p50 / voice.mediasoup.voice_to_voice_ms.p50) * 100) / 100,
      callers: {
        mediasoup: 'headless Chromium call page (WebRTC), level from an AnalyserNode on the received track',
        livekit:
          '@livekit/rtc-node participant, level of each received 10 ms frame (after its jitter buffer)',
      },
      load_average: {
        before: load.before,
        after_mediasoup: loadAfterMediasoup,
        after_livekit: loadAfterLiveKit,
        after_load_test: loadavg().map(round),
      },
      per_turn: { mediasoup, livekit },
    };
    await writeBenchResult(RESULTS, result);
  } finally {
    await cluster?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

runBench(main);
