import { LiveKitPeer } from '../../../../test/helpers/LiveKitPeer.ts';
import type { TestLiveKit } from '../../../../test/helpers/livekit.ts';
import { LiveKitTransport } from '../../../src/transport/livekit/LiveKitTransport.ts';
import type { AgentVoiceSource } from '../../../src/transport/MediaTransport.ts';
import { concatAll, type TransportHarness } from './transportHarness.ts';

const customerMetadata = { role: 'customer', name: 'Caller' } as const;
const staffMetadata = { role: 'supervisor', name: 'Sam' } as const;

/** LiveKitTransport in a real LiveKit room, the customer and a co-pilot as rtc-node participants. */
export async function liveKitHarness(
  node: TestLiveKit,
  room: string,
  voice: AgentVoiceSource,
  leadMs?: number,
): Promise<TransportHarness & { heardFromAgentLevels(): Array<{ t: number; rms: number }> }> {
  const customer = await LiveKitPeer.join(
    node.url,
    await node.token({ room, identity: 'customer:c1', metadata: customerMetadata }),
  );
  await customer.publish('mic');
  const transport = await LiveKitTransport.connect({
    url: node.url,
    token: await node.token({ room, identity: `agent:${room}` }),
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
        await node.token({ room, identity: 'staff:u1', metadata: staffMetadata }),
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
