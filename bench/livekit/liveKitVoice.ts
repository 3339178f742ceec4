/**
 * bench:livekit's LiveKit side: the same conversation with an rtc-node caller in a room of a real livekit-server
 * node, the agent a child process running CallSession over LiveKitTransport (the worker's LiveKit path, dispatched
 * directly rather than through the control plane). Heard levels are taken per received 10 ms frame at the caller.
 */
import { fork } from 'node:child_process';
import type { AgentState, SessionCallEvent, SessionDispatch, TranscriptEvent } from '@voiceroom/protocol';
import { LiveKitPeer } from '../../test/helpers/LiveKitPeer.ts';
import type { TestLiveKit } from '../../test/helpers/livekit.ts';
import { type ConversationOptions, runConversation } from '../voiceConversation.ts';
import type { ScoredTurn } from '../voiceTurns.ts';

type AgentMessage =
  | { type: 'started' }
  | { type: 'event'; event: SessionCallEvent }
  | { type: 'ended'; reason: string };

export async function liveKitConversation(
  options: Omit<ConversationOptions, 'caller' | 'agent'> & {
    livekit: TestLiveKit;
    config: SessionDispatch['config'];
  },
): Promise<ScoredTurn[]> {
  const { livekit, log } = options;
  const room = `bench-voice-${Date.now()}`;
  const caller = await LiveKitPeer.join(
    livekit.url,
    await livekit.token({ room, identity: 'customer:bench', metadata: { role: 'customer', name: 'Bench' } }),
  );
  await caller.publish('mic');
  const agent = fork(new URL('./agentProcess.ts', import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // rtc-node logs at debug level unless NODE_ENV=production (the agent process runs no server)
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const transcripts: TranscriptEvent[] = [];
  const states: Array<{ state: AgentState; t: number }> = [];
  const started = new Promise<void>((resolve, reject) => {
    agent.on('message', (message: AgentMessage) => {
      if (message.type === 'started') resolve();
      else if (message.type === 'ended') reject(new Error(`the agent session ended: ${message.reason}`));
      else if (message.event.type === 'transcript') transcripts.push(message.event);
      else if (message.event.type === 'agent.state')
        states.push({ state: message.event.state, t: performance.now() });
    });
    agent.once('exit', (code) => reject(new Error(`the agent process exited with ${code}`)));
  });
  const dispatch: SessionDispatch = {
    sessionId: room,
    roomId: room,
    agentPeerId: `agent-${room}`,
    config: options.config,
    livekit: {
      url: livekit.url,
      token: await livekit.token({
        room,
        identity: `agent:${room}`,
        metadata: { role: 'agent_ai', name: 'Agent' },
      }),
      customerIdentity: 'customer:bench',
    },
  };
  agent.send({ type: 'dispatch', dispatch });
  try {
    await started;
    const waitGreeting = Date.now() + 30_000;
    while (!transcripts.some((t) => t.speaker === 'agent' && t.final)) {
      if (Date.now() > waitGreeting) throw new Error('no greeting from the LiveKit agent within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return await runConversation({
      ...options,
      caller: {
        now: async () => performance.now(),
        audibleSince: async (t) => caller.audibleSince(t),
        say: (pcm) => caller.play(pcm),
        samples: async () =>
          caller.levels().map(({ t, rms }) => ({ t, rms, inPackets: 0, inLastPacketT: 0 })),
      },
      agent: {
        states: () => states,
        customerFinals: () => transcripts.filter((t) => t.speaker === 'customer' && t.final),
      },
    });
  } catch (error) {
    log('livekit conversation failed', { error: String(error) });
    throw error;
  } finally {
    agent.send({ type: 'stop' });
    agent.disconnect();
    await caller.close();
  }
}
