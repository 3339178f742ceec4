import { RTC_NAMESPACE, SignalingErrorCodeSchema } from '@voiceroom/protocol';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../helpers/mediaServer.ts';
import { waitFor } from '../media/rtpTools.ts';
import { connectRtc, joinAndProduce, joinRoom, opusRtpParameters, type RtcTestClient } from './rtcClient.ts';

const MESSAGES = 1000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

/** mulberry32: a small seeded PRNG so a failing run can be replayed with FUZZ_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = [
  'getRouterRtpCapabilities',
  'join',
  'createWebRtcTransport',
  'connectWebRtcTransport',
  'restartIce',
  'produce',
  'pauseProducer',
  'resumeProducer',
  'closeProducer',
  'resumeConsumer',
  'getStats',
  'leave',
];

function generator(random: () => number, knownIds: () => string[]) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (max: number) => Math.floor(random() * max);
  const junkString = () =>
    random() < 0.1
      ? 'x'.repeat(int(60_000))
      : random()
          .toString(36)
          .slice(2, 2 + int(20));
  const junkValue = (depth = 0): unknown => {
    const kind = int(depth > 3 ? 6 : 9);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random() * 1e12 - 5e11;
      case 2:
        return junkString();
      case 3:
        return random() < 0.5;
      case 4:
        return Buffer.from(junkString());
      case 5:
        return pick([Number.NaN, -1, 0, 2 ** 53, '', '__proto__', 'constructor', [], {}]);
      case 6:
        return Array.from({ length: int(5) }, () => junkValue(depth + 1));
      case 7: {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < int(5); i++)
          o[pick(['transportId', 'kind', 'direction', junkString(), 'constructor'])] = junkValue(depth + 1);
        return o;
      }
      default: {
        let nested: unknown = 'bottom';
        for (let i = 0; i < 200; i++) nested = { a: nested };
        return nested;
      }
    }
  };
  /** Almost-valid data for a method: right shape, one field wrong or ids that do not exist. */
  const plausibleData = (method: string): unknown => {
    const id = () => (random() < 0.5 ? pick(knownIds().concat(['nope'])) : junkString());
    switch (method) {
      case 'join':
        return {
          rtpCapabilities: pick([
            {},
            { codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000 }] },
            junkValue(),
          ]),
        };
      case 'createWebRtcTransport':
        return { direction: pick(['send', 'recv', 'both', junkValue()]) };
      case 'connectWebRtcTransport':
        return {
          transportId: id(),
          dtlsParameters: { fingerprints: [{ algorithm: pick(['sha-256', 'md5']), value: junkString() }] },
        };
      case 'produce':
        return {
          transportId: id(),
          kind: pick(['audio', 'video']),
          rtpParameters: pick([
            opusRtpParameters(int(2 ** 32)),
            { codecs: [{ mimeType: 'audio/foo', payloadType: int(128), clockRate: 8000 }] },
            { ...opusRtpParameters(1), encodings: [{ ssrc: -5 }] },
            junkValue(),
          ]),
        };
      case 'pauseProducer':
      case 'resumeProducer':
      case 'closeProducer':
        return { producerId: id() };
      case 'resumeConsumer':
        return { consumerId: id() };
      case 'restartIce':
        return { transportId: id() };
      default:
        return pick([{}, undefined, junkValue()]);
    }
  };
  return (): { event: string; args: unknown[]; withAck: boolean } => {
    const roll = random();
    const withAck = random() < 0.85;
    if (roll < 0.05)
      return {
        event: pick(['foo', 'notification', 'join', '__proto__', 'request ']),
        args: [junkValue()],
        withAck,
      };
    if (roll < 0.15) return { event: 'request', args: [junkValue()], withAck };
    if (roll < 0.2)
      return { event: 'request', args: [{ method: pick(METHODS), data: {} }, junkValue()], withAck };
    if (roll < 0.3) return { event: 'request', args: [{ method: junkString(), data: junkValue() }], withAck };
    if (roll < 0.4)
      return { event: 'request', args: [{ method: pick(METHODS), data: junkValue(), extra: 1 }], withAck };
    const method = pick(METHODS);
    return { event: 'request', args: [{ method, data: plausibleData(method) }], withAck };
  };
}

let server: MediaServer;

beforeAll(async () => {
  // A generous rate limit so that the messages reach validation (the limiter has its own test).
  server = await startMediaServer({ rateLimit: { burst: 5000, perSecond: 5000 }, emptyRoomGraceMs: 60_000 });
});
afterAll(() => server.close());

describe('signaling under malformed input', () => {
  it('generates the same messages again from the same FUZZ_SEED, so a failing run replays', () => {
    const ids = () => ['transport-1', 'producer-1'];
    const run = () => {
      const next = generator(prng(SEED), ids);
      return JSON.stringify(Array.from({ length: 300 }, () => next()));
    };
    expect(run()).toBe(run());
    const other = generator(prng(SEED + 1), ids);
    expect(JSON.stringify(Array.from({ length: 300 }, () => other()))).not.toBe(run());
  });

  it(`answers ${MESSAGES} random and malformed messages with clean refusals while a real call goes on`, async () => {
    const room = 'fuzzed-room';
    const fuzzer = await connectRtc(server.url, await server.roomToken({ room }));
    const joinedFuzzer = await connectRtc(server.url, await server.roomToken({ room }));
    const alice = await connectRtc(server.url, await server.roomToken({ room }));
    const bob = await connectRtc(server.url, await server.roomToken({ room: 'quiet-room' }));
    const carol = await connectRtc(server.url, await server.roomToken({ room: 'quiet-room' }));
    const all: RtcTestClient[] = [fuzzer, joinedFuzzer, alice, bob, carol];
    try {
      await joinRoom(joinedFuzzer);
      await joinRoom(alice);
      await alice.request('createWebRtcTransport', { direction: 'recv' });
      const bobMedia = await joinAndProduce(bob, 500);

      const ids = () => {
        const r = server.registry.get(room);
        return (r?.peers ?? []).flatMap((p) => [
          ...p.transports.map((t) => t.transport.id),
          ...p.producers.map((x) => x.id),
          ...p.consumers.map((c) => c.consumer.id),
        ]);
      };
      const next = generator(prng(SEED), ids);
      const replies: Promise<unknown>[] = [];
      let withoutAck = 0;

      // A legitimate call in another room keeps working throughout.
      let legitRounds = 0;
      const legit = (async () => {
        await joinRoom(carol);
        await carol.request('createWebRtcTransport', { direction: 'recv' });
        const offer = await carol.next('newConsumer', (d) => d.producerId === bobMedia.producerId);
        await carol.request('resumeConsumer', { consumerId: offer.consumerId });
        for (let i = 0; i < 10; i++) {
          await bob.request('pauseProducer', { producerId: bobMedia.producerId });
          await bob.request('resumeProducer', { producerId: bobMedia.producerId });
          expect((await carol.request('getStats')).transports).toHaveLength(1);
          legitRounds++;
        }
      })();

      for (let i = 0; i < MESSAGES; i++) {
        const socket = i % 2 === 0 ? fuzzer.socket : joinedFuzzer.socket;
        let message = next();
        // Stay under the server's 64 KiB message cap here; the oversized case is checked on its own below.
        while (JSON.stringify(message.args).length > 60_000) message = next();
        const { event, args, withAck } = message;
        if (withAck) {
          replies.push(
            socket
              .timeout(15_000)
              .emitWithAck(event, ...args)
              .catch((error: Error) => ({ lost: error.message })),
          );
        } else {
          withoutAck++;
          socket.emit(event, ...args);
        }
        if (i % 50 === 0) await new Promise((r) => setImmediate(r));
      }
      const answered = await Promise.all(replies);
      await legit;

      const codes = SignalingErrorCodeSchema.options as readonly string[];
      const summary: Record<string, number> = {};
      for (const reply of answered) {
        const r = reply as { ok: boolean; error?: { code: string; message: string }; lost?: string };
        expect(r.lost).toBeUndefined();
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(codes).toContain(r.error?.code);
          expect(r.error?.message.length).toBeGreaterThan(0);
        }
        const key = r.ok ? 'ok' : (r.error?.code ?? '?');
        summary[key] = (summary[key] ?? 0) + 1;
      }
      console.log(JSON.stringify({ fuzz: { seed: SEED, messages: MESSAGES, withoutAck, replies: summary } }));
      expect(answered.length + withoutAck).toBe(MESSAGES);
      expect(summary.internal ?? 0).toBe(0);
      expect(summary.bad_request ?? 0).toBeGreaterThan(MESSAGES / 3);
      expect(legitRounds).toBe(10);

      // Alice, in the fuzzed room, is still served and was not disturbed.
      expect((await alice.request('getStats')).transports).toHaveLength(1);
      expect(alice.socket.connected).toBe(true);

      // An oversized message costs the sender its connection, nobody else's.
      const big = io(`${server.url}${RTC_NAMESPACE}`, {
        auth: { token: await server.roomToken({ room }) },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      await new Promise((resolve) => big.once('connect', () => resolve(undefined)));
      big.emit(
        'request',
        { method: 'join', data: { rtpCapabilities: { junk: 'y'.repeat(200_000) } } },
        () => {},
      );
      await waitFor(() => !big.connected, 'the oversized sender to be disconnected');
      big.close();

      // Packets that are not even valid socket.io (broken JSON, bad types) cost the sender its connection.
      for (const garbage of ['42/rtc,["request",{"method":', '42/rtc,123', '4\u0000\uffff', '99999']) {
        const raw = io(`${server.url}${RTC_NAMESPACE}`, {
          auth: { token: await server.roomToken({ room }) },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        await new Promise((resolve) => raw.once('connect', () => resolve(undefined)));
        raw.io.engine.send(garbage);
        await waitFor(() => !raw.connected, `the sender of ${JSON.stringify(garbage)} to be disconnected`);
        raw.close();
      }
      expect(alice.socket.connected).toBe(true);

      // The fuzzers leave; everything they created is freed and the server takes new calls.
      fuzzer.close();
      joinedFuzzer.close();
      await waitFor(
        () =>
          JSON.stringify(server.registry.get(room)?.stats()).includes(
            '"peers":1,"transports":1,"producers":0,"consumers":0',
          ),
        'only alice and her transport left in the fuzzed room',
      );
      expect(server.registry.get(room)?.stats()).toEqual({
        peers: 1,
        transports: 1,
        producers: 0,
        consumers: 0,
      });
      const newcomer = await connectRtc(server.url, await server.roomToken({ room: 'after-fuzz' }));
      all.push(newcomer);
      expect((await joinAndProduce(newcomer, 9)).producerId).toBeTruthy();
    } finally {
      for (const c of all) c.close();
    }
  }, 120_000);
});
