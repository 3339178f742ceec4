/**
 * One virtual caller in the page: starts a call, joins with the SDK (its own mediasoup-client Device and
 * transports), publishes a scripted microphone, then talks with the agent turn by turn (speaks once the agent is
 * listening, measures when the answer's first packet arrives) until its time is up, and leaves.
 */
import { connect, type Room, VoiceRoomError } from '@voiceroom/sdk';
import { say, utteranceCount } from './microphones.ts';

export interface CallerRow {
  id: number;
  state: 'joining' | 'greeting' | 'talking' | 'done' | 'failed';
  joinMs: number | null;
  firstAudioMs: number | null;
  turns: number;
  answered: number;
  v2vMs: number[];
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  jitterMs: number | null;
  uplinkPacketsLost: number;
  uplinkJitterMs: number | null;
  errors: string[];
}

const ANSWER_TIMEOUT_MS = 6_000;
const ANSWER_END_TIMEOUT_MS = 30_000;
const POLL_MS = 20;
/** The agent sends one 20 ms packet at a time while it talks, nothing while silent. */
const PACKET_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Chromium's stats timestamps are epoch milliseconds; the caller works on the page clock. */
const toPage = (ms: number) => (ms > 1e12 ? ms - performance.timeOrigin : ms);

/** Every peer connection the page made (the SDK's transports), to find a caller's own by its tracks. */
const peerConnections: RTCPeerConnection[] = [];
export function trackPeerConnections(): void {
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      // closed ones (callers that left) are dropped so long runs do not scan them
      for (let i = peerConnections.length - 1; i >= 0; i--)
        if (peerConnections[i]?.connectionState === 'closed') peerConnections.splice(i, 1);
      peerConnections.push(this);
    }
  };
}

function receiverOf(track: MediaStreamTrack): RTCRtpReceiver | undefined {
  for (const pc of peerConnections) for (const r of pc.getReceivers()) if (r.track === track) return r;
  return undefined;
}

function senderOf(track: MediaStreamTrack): RTCRtpSender | undefined {
  for (const pc of peerConnections) for (const s of pc.getSenders()) if (s.track === track) return s;
  return undefined;
}

interface Inbound {
  packetsReceived: number;
  packetsLost: number;
  jitter: number;
  lastPacketT: number;
}

async function inbound(receiver: RTCRtpReceiver): Promise<Inbound> {
  const out = { packetsReceived: 0, packetsLost: 0, jitter: 0, lastPacketT: 0 };
  (await receiver.getStats()).forEach((s: Record<string, unknown>) => {
    if (s.type !== 'inbound-rtp') return;
    out.packetsReceived = Number(s.packetsReceived ?? 0);
    out.packetsLost = Number(s.packetsLost ?? 0);
    out.jitter = Number(s.jitter ?? 0);
    out.lastPacketT = toPage(Number(s.lastPacketReceivedTimestamp ?? 0));
  });
  return out;
}

export class VirtualCaller {
  readonly #row: CallerRow;
  readonly #endAt: number;
  readonly #maxTurns: number;
  #room: Room | undefined;
  #agentState = 'idle';
  /** 'speaking' states seen: state events travel by signaling and may trail the audio, so a turn waits for its own. */
  #speakingSeen = 0;
  #stateWaiters: (() => void)[] = [];

  /** Talks until `durationMs` after starting is nearly up, or after `maxTurns` turns. */
  constructor(id: number, durationMs: number, maxTurns = Number.POSITIVE_INFINITY) {
    this.#maxTurns = maxTurns;
    this.#row = {
      id,
      state: 'joining',
      joinMs: null,
      firstAudioMs: null,
      turns: 0,
      answered: 0,
      v2vMs: [],
      packetsSent: 0,
      packetsReceived: 0,
      packetsLost: 0,
      jitterMs: null,
      uplinkPacketsLost: 0,
      uplinkJitterMs: null,
      errors: [],
    };
    this.#endAt = performance.now() + durationMs;
  }

  get row(): CallerRow {
    return { ...this.#row, v2vMs: [...this.#row.v2vMs], errors: [...this.#row.errors] };
  }

  /** The whole call; never rejects (failures are counted in the row). */
  async run(): Promise<void> {
    const t0 = performance.now();
    try {
      const ticket = await this.#startCall();
      const room = await connect(location.origin, ticket.token, { iceServers: ticket.iceServers });
      this.#room = room;
      room.on('agentState', ({ state }) => {
        this.#agentState = state;
        if (state === 'speaking') this.#speakingSeen += 1;
        for (const wake of this.#stateWaiters.splice(0)) wake();
      });
      room.on('error', (error) => this.#fail(error, false));
      const microphone = await room.publishMicrophone();
      this.#row.joinMs = Math.round(performance.now() - t0);
      this.#row.state = 'greeting';
      const agentTrack = await this.#agentTrack(room);
      const receiver = receiverOf(agentTrack);
      const sender = senderOf(microphone);
      if (!receiver || !sender) throw new Error("could not find this caller's RTP sender and receiver");
      await this.#firstPacket(receiver);
      this.#row.firstAudioMs = Math.round(performance.now() - t0);
      await this.#answerEnd(0, 'the end of the greeting');
      this.#row.state = 'talking';
      await this.#converse(microphone, receiver);
      await this.#readFinalStats(receiver, sender);
      this.#row.state = 'done';
    } catch (error) {
      this.#fail(error, true);
    } finally {
      await this.#room?.leave().catch(() => undefined);
    }
  }

  async #startCall(): Promise<{ token: string; iceServers: RTCIceServer[] }> {
    const response = await fetch('/api/calls', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await response.json().catch(() => ({}))) as {
      token?: string;
      iceServers?: RTCIceServer[];
      error?: { code?: string };
    };
    if (!response.ok || !body.token)
      throw new Error(`POST /api/calls answered ${response.status} ${body.error?.code ?? ''}`.trim());
    return { token: body.token, iceServers: body.iceServers ?? [] };
  }

  async #agentTrack(room: Room): Promise<MediaStreamTrack> {
    const find = () => [...room.remoteTracks.values()].find((t) => t.participant.role === 'agent_ai')?.track;
    await this.#until(() => find() !== undefined, 20_000, "the agent's audio track", room);
    return find() as MediaStreamTrack;
  }

  /** Waits for the greeting's first packet. */
  async #firstPacket(receiver: RTCRtpReceiver): Promise<void> {
    const deadline = performance.now() + 20_000;
    while ((await inbound(receiver)).packetsReceived === 0) {
      if (performance.now() > deadline)
        throw new Error("timed out after 20000 ms waiting for the greeting's audio");
      await sleep(POLL_MS);
    }
  }

  /** Turn after turn until the call's time is up: speak, time the answer's first packet, wait for its end. */
  async #converse(microphone: MediaStreamTrack, receiver: RTCRtpReceiver): Promise<void> {
    while (performance.now() < this.#endAt - 3_000 && this.#row.turns < this.#maxTurns) {
      const index = (this.#row.id + this.#row.turns) % utteranceCount();
      const speakingBefore = this.#speakingSeen;
      this.#row.turns += 1;
      const { endT } = await say(microphone, index);
      const baseline = (await inbound(receiver)).packetsReceived;
      const deadline = endT + ANSWER_TIMEOUT_MS;
      let answerT: number | undefined;
      while (performance.now() < deadline) {
        const now = await inbound(receiver);
        const arrived = now.packetsReceived - baseline;
        if (arrived > 0) {
          answerT = now.lastPacketT - (arrived - 1) * PACKET_MS;
          break;
        }
        await sleep(POLL_MS);
      }
      if (answerT === undefined) {
        this.#row.errors.push(`turn ${this.#row.turns}: no answer within ${ANSWER_TIMEOUT_MS} ms`);
        continue;
      }
      this.#row.answered += 1;
      this.#row.v2vMs.push(Math.round(Math.max(0, answerT - endT)));
      // the answer's end: the agent listens again (a short pause, as people leave, before the next utterance)
      await this.#answerEnd(speakingBefore, 'the end of an answer').catch((error) =>
        this.#row.errors.push(String((error as Error).message)),
      );
      await sleep(300 + Math.random() * 400);
    }
  }

  /** Waits until the agent has started speaking since `speakingBefore` states, then listens again. */
  async #answerEnd(speakingBefore: number, what: string): Promise<void> {
    await this.#until(() => this.#speakingSeen > speakingBefore, ANSWER_END_TIMEOUT_MS, what);
    await this.#until(() => this.#agentState === 'listening', ANSWER_END_TIMEOUT_MS, what);
  }

  async #readFinalStats(receiver: RTCRtpReceiver, sender: RTCRtpSender): Promise<void> {
    const down = await inbound(receiver);
    this.#row.packetsReceived = down.packetsReceived;
    this.#row.packetsLost = down.packetsLost;
    this.#row.jitterMs = Math.round(down.jitter * 10_000) / 10;
    (await sender.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'outbound-rtp') this.#row.packetsSent = Number(s.packetsSent ?? 0);
      if (s.type === 'remote-inbound-rtp') {
        this.#row.uplinkPacketsLost = Number(s.packetsLost ?? 0);
        this.#row.uplinkJitterMs = Math.round(Number(s.jitter ?? 0) * 10_000) / 10;
      }
    });
  }

  /** Resolves once `ready()` holds (checked on every agent state change and every 100 ms), or rejects at the timeout. */
  async #until(ready: () => boolean, timeoutMs: number, what: string, room?: Room): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!ready()) {
      if (performance.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.#stateWaiters.push(resolve);
        setTimeout(resolve, 100);
      });
      if (room && room.connectionState === 'disconnected')
        throw new Error(`disconnected while waiting for ${what}`);
    }
  }

  #fail(error: unknown, fatal: boolean): void {
    const code = error instanceof VoiceRoomError ? `${error.code}: ` : '';
    this.#row.errors.push(`${code}${error instanceof Error ? error.message : String(error)}`);
    if (fatal) this.#row.state = 'failed';
  }
}
