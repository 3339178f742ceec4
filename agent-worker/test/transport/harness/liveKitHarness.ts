import { LiveKitPeer } from '../../../../test/helpers/LiveKitPeer.ts';
import type { LiveKitNode } from '../../../../test/helpers/livekitNode.lkagent.ts';
import { LiveKitTransport } from '../../../src/transport/livekit/LiveKitTransport.ts';
import type { AgentVoiceSource } from '../../../src/transport/MediaTransport.ts';
import { concatAll, type TransportHarness } from './transportHarness.ts';

const customerMetadata = JSON.stringify({ role: 'customer', name: 'Caller' });
const staffMetadata = JSON.stringify({ role: 'supervisor', name: 'Sam' });

/** LiveKitTransport in a real LiveKit room, the customer and a co-pilot as rtc-node participants. */
export async function liveKitHarness(
  node: LiveKitNode,
  room: string,
  voice: AgentVoiceSource,
  leadMs?: number,
): Promise<TransportHarness & { heardFromAgentLevels(): Array<{ t: number; rms: number }> }> {
  const customer = await LiveKitPeer.join(
    node.url,
    await node.token(room, 'customer:c1', { metadata: customerMetadata }),
  );
  await customer.publish('mic');
  const transport = await LiveKitTransport.connect({
    url: node.url,
    token: await node.token(room, `agent:${room}`),
    customerIdentity: 'customer:c1',
    voice,
    ...(leadMs === undefined ? {} : { leadMs }),
  });
  const ready = new Promise<void>((resolve) => transport.once('ready', resolve));
  let staff: LiveKitPeer | null = null;
  return {
    transport,
    ready,
    customerSays: async (pcm) => void (await customer.play(pcm)),
    async staffWhispers(pcm) {
      staff = await LiveKitPeer.join(
        node.url,
        await node.token(room, 'staff:u1', { metadata: staffMetadata }),
      );
      await staff.publish('whisper');
      await staff.play(pcm);
    },
    async staffLeaves() {
      await staff?.close();
    },
    heardFromAgentLevels: () => customer.levels('agent:'),
    heardFromAgent: () =>
      concatAll(customer.heard.filter((f) => f.from.startsWith('agent:')).map((f) => f.pcm)),
    async close() {
      transport.close();
      await staff?.close();
      await customer.close();
    },
  };
}
