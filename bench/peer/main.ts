/**
 * `npm run bench:peer` -> bench/results/peer.json: bench:voice's conversation (bench/voiceConversation.ts, as
 * bench:livekit runs it; PEER_BARGE_INS blocks, default 6) against two agents in turn, in rooms of the same local
 * livekit-server node, with the same rtc-node caller and the same scoring (voiceTurns.ts):
 * - voiceroom: our worker's CallSession over LiveKitTransport in its own process (bench/livekit/liveKitVoice.ts);
 * - livekit_agents: LiveKit's own agent framework for Node (@livekit/agents + silero VAD) with thin adapters around
 *   the same PocketSphinx, scripted dialog and flite (bench/peer/peerAgent.ts), its settings the framework's
 *   defaults except PEER_SETTINGS.
 * - livekit_agents_vad_turn_detection: the peer again with turnDetection 'vad' (its end-of-turn model off), as our
 *   agent ends a turn on VAD silence: what the peer's default model costs in latency.
 * ratio_v2v_p50 = livekit_agents / voiceroom voice-to-voice p50. Progress goes to stderr as JSON lines. The npm
 * script sets NODE_ENV=production: the caller's rtc-node otherwise logs at debug level to stdout.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { AgentConfigSchema } from '@voiceroom/protocol';
import { parse } from 'yaml';
import { REAL_SPEECH_DIR } from '../../agent-worker/test/stages/fixtures/speech.ts';
import { startLiveKitNode, type TestLiveKit } from '../../test/helpers/livekit.ts';
import { runBench, writeBenchResult } from '../benchResult.ts';
import { liveKitConversation } from '../livekit/liveKitVoice.ts';
import { conversationSpeech } from '../voiceConversation.ts';
import { planConversation, realClips } from '../voicePlan.ts';
import { availableCallerVoices } from '../voiceScenario.ts';
import { type ScoredTurn, summarize } from '../voiceTurns.ts';
import { peerConversation } from './peerVoice.ts';
import { PEER_SETTINGS } from './settings.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results', 'peer.json');
const BARGE_INS = Number(process.env.PEER_BARGE_INS ?? 6);
const SPEECH_DIR = process.env.SPEECH_DIR ?? REAL_SPEECH_DIR;

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: 'peer', msg, ...extra })}\n`);
const round = (n: number) => Math.round(n * 10) / 10;

function figures(turns: ScoredTurn[]) {
  const { headline } = summarize(turns);
  const { noise_burst, um } = headline.false_interruptions;
  const sounds = noise_burst.n + um.n;
  return {
    voice_to_voice_ms: headline.voice_to_voice_ms,
    barge_in_stop_ms: headline.barge_in_stop_ms,
    /** Share of the short sounds over the agent (noise, "um") after which it paused and resumed its reply. */
    false_interruption_resumed:
      sounds === 0 ? null : round(((noise_burst.resumed + um.resumed) / sounds) * 100) / 100,
    false_interruptions: headline.false_interruptions,
    wer: headline.wer,
    turns: headline.turns,
  };
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-peer-'));
  const config = AgentConfigSchema.parse(
    parse(await readFile(path.join(ROOT, 'agents', 'pizzeria.yaml'), 'utf8')),
  );
  const plan = planConversation(BARGE_INS, await availableCallerVoices(), realClips(SPEECH_DIR));
  const pcm = await conversationSpeech(plan, workDir, SPEECH_DIR);
  log('conversation planned', { turns: plan.length, bargeIns: BARGE_INS });
  let node: TestLiveKit | undefined;
  try {
    // ports apart from the tests' LiveKit range and bench:livekit's (7910-7915, UDP 53000-53399)
    node = await startLiveKitNode({ port: 7922, rtcPortRange: [54200, 54399] });
    const load = { before: loadavg().map(round) };
    log('voiceroom: conversation');
    const voiceroom = await liveKitConversation({ plan, pcm, log, livekit: node, config });
    const afterVoiceroom = loadavg().map(round);
    log('livekit_agents: conversation');
    const peer = await peerConversation({ plan, pcm, log, node, workDir, turnDetection: 'default' });
    const afterPeer = loadavg().map(round);
    log('livekit_agents with VAD turn detection: conversation');
    const peerVad = await peerConversation({ plan, pcm, log, node, workDir, turnDetection: 'vad' });
    const result = {
      voiceroom: figures(voiceroom),
      livekit_agents: figures(peer),
      ratio_v2v_p50: 0,
      livekit_agents_vad_turn_detection: figures(peerVad),
      ratio_v2v_p50_vad_turn_detection: 0,
      settings: {
        changed_from_defaults: PEER_SETTINGS.serverOptions,
        why: PEER_SETTINGS.why,
        livekit_agents_vad_turn_detection: PEER_SETTINGS.vadTurnDetection,
        voiceroom: 'agents/pizzeria.yaml as shipped (silero VAD, PocketSphinx, scripted dialog, flite kal16)',
      },
      caller: '@livekit/rtc-node participant, level of each received 10 ms frame (after its jitter buffer)',
      load_average: {
        before: load.before,
        after_voiceroom: afterVoiceroom,
        after_livekit_agents: afterPeer,
        after_livekit_agents_vad_turn_detection: loadavg().map(round),
      },
      per_turn: { voiceroom, livekit_agents: peer, livekit_agents_vad_turn_detection: peerVad },
    };
    const ratio = (other: typeof result.voiceroom) =>
      Math.round((other.voice_to_voice_ms.p50 / result.voiceroom.voice_to_voice_ms.p50) * 100) / 100;
    result.ratio_v2v_p50 = ratio(result.livekit_agents);
    result.ratio_v2v_p50_vad_turn_detection = ratio(result.livekit_agents_vad_turn_detection);
    await writeBenchResult(RESULTS, result);
  } finally {
    await node?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

runBench(main);
