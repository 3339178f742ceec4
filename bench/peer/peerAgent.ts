/**
 * The peer: a LiveKit Agents (Node) worker as its docs build one — defineAgent with a prewarm that loads the models
 * into each idle job process, an AgentSession with silero VAD and the STT/LLM/TTS slots filled by thin adapters
 * around our PocketSphinx, scripted dialog and flite (the pizzeria agent's configuration, agents/pizzeria.yaml),
 * started with `node bench/peer/peerAgent.ts start` (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET). It greets
 * with the agent's greeting, as ours does. The session's state changes and the caller's final transcripts go to the
 * bench as JSON lines over the Unix socket PEER_EVENTS_SOCKET (the framework owns the job process's IPC channel).
 * Settings changed from the framework's defaults: see PEER_SETTINGS; PEER_TURN_DETECTION=vad replaces the default
 * end-of-turn model with VAD silence alone (bench:peer's second run).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, defineAgent, type JobContext, type JobProcess, ServerOptions, voice } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { ScriptedDialog } from '@voiceroom/agent-core/dialog';
import { type AgentConfig, AgentConfigSchema } from '@voiceroom/protocol';
import { parse } from 'yaml';
import { PocketSphinxStt } from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { FliteTts } from '../../agent-worker/src/stages/tts/flite/FliteTts.ts';
import { FlitePeerTts } from './FlitePeerTts.ts';
import { PocketSphinxPeerStt } from './PocketSphinxPeerStt.ts';
import { ScriptedPeerLlm } from './ScriptedPeerLlm.ts';
import { PEER_SETTINGS } from './settings.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Loaded {
  config: AgentConfig;
  vad: silero.VAD;
  stt: PocketSphinxStt;
  tts: FliteTts;
}

export default defineAgent({
  prewarm: async (proc: JobProcess) => {
    const config = AgentConfigSchema.parse(
      parse(readFileSync(path.join(ROOT, 'agents', 'pizzeria.yaml'), 'utf8')),
    );
    // one after the other, as our worker loads them (flite's voice must not load while the recogniser builds)
    const stt = await PocketSphinxStt.create({ domain: config });
    const tts = await FliteTts.create({ voice: config.tts.voice, rate: config.tts.rate });
    const vad = (await silero.VAD.load()) as silero.VAD;
    proc.userData.loaded = { config, vad, stt, tts } satisfies Loaded;
  },
  entry: async (ctx: JobContext) => {
    const { config, vad, stt, tts } = ctx.proc.userData.loaded as Loaded;
    const events = connect(process.env.PEER_EVENTS_SOCKET ?? '');
    events.on('error', () => undefined);
    const report = (event: object) => {
      if (events.writable) events.write(`${JSON.stringify(event)}\n`);
    };
    const session = new voice.AgentSession({
      ...(process.env.PEER_TURN_DETECTION === 'vad' ? { turnDetection: 'vad' as const } : {}),
      vad,
      stt: new PocketSphinxPeerStt(stt),
      llm: new ScriptedPeerLlm(new ScriptedDialog({ config })),
      tts: new FlitePeerTts(tts),
    });
    session.on(voice.AgentSessionEventTypes.AgentStateChanged, (ev) =>
      report({ type: 'state', state: ev.newState }),
    );
    session.on(voice.AgentSessionEventTypes.UserInputTranscribed, (ev) => {
      if (ev.isFinal) report({ type: 'final', text: ev.transcript });
    });
    session.on(voice.AgentSessionEventTypes.Close, () => events.end());
    await session.start({ agent: new voice.Agent({ instructions: config.instructions }), room: ctx.room });
    await ctx.connect();
    session.say(config.greeting);
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  cli.runApp(new ServerOptions({ agent: fileURLToPath(import.meta.url), ...PEER_SETTINGS.serverOptions }));
}
