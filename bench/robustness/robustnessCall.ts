/**
 * One generated conversation played through the real call path: the Chromium caller calls from the call page,
 * the scripted microphone says each caller line when the agent has finished asking (or over its read-back for a
 * backchannel or a barge-in), and after hang-up the stored extraction is read back from GET /api/calls/:callId.
 */
import type { AgentConfig } from '@voiceroom/protocol';
import type { Page } from 'playwright-core';
import { pollUntil } from '../../test/helpers/browser.ts';
import { playRoom, say } from '../voiceMicrophone.ts';
import { agentPacketTimes, readAudioProbe, startAudioProbe } from '../voiceScenario.ts';
import type { AgentEvents } from './AgentEvents.ts';
import { type BedMode, type CallerAudio, callNoiseBed, NoiseBed, renderUtterance } from './callerAudio.ts';
import { type Conversation, noiseLabel, type OrderLine } from './conversation.ts';
import { recordHeard } from './heard.ts';
import { type CallerTurn, classifyAgentAsk, isLoop, ScriptedCaller } from './ScriptedCaller.ts';
import {
  bargeInStopMs,
  type CallRecord,
  type Extracted,
  type Outcome,
  parseAcknowledged,
  parseChecked,
  parseReadBack,
  type RecognisedLine,
  utteranceTiming,
} from './score.ts';

/** Caller turns before the call counts as a loop. */
export const TURN_CAP = 14;
/** The caller talks over the agent's reply this long after it started. */
const OVERLAP_AFTER_MS = 1_200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CallContext {
  page: Page;
  pageUrl: string;
  apiUrl: string;
  /** A staff access token for the call records API, fresh for each call (access tokens are short-lived). */
  staffToken: () => Promise<string>;
  events: AgentEvents;
  menu: AgentConfig['menu'];
  workDir: string;
  bed: BedMode;
  /** Progress: each line of the conversation as it happens. */
  onLine?: (line: string) => void;
}

interface Span {
  startT: number;
  endT: number;
}

interface SaidSpan extends Span {
  line: string;
}

async function play(page: Page, audio: CallerAudio): Promise<Span> {
  const span = await say(page, audio.pcm);
  return { startT: span.startT + audio.speechStartMs, endT: span.startT + audio.speechEndMs };
}

async function readExtraction(ctx: CallContext, roomId: string): Promise<Extracted | null> {
  const headers = { authorization: `Bearer ${await ctx.staffToken()}` };
  const get = async (url: string) => {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const list = (await get(`${ctx.apiUrl}/api/calls?pageSize=100`)) as {
    items?: { id: string; roomId: string }[];
  };
  const callId = list.items?.find((c) => c.roomId === roomId)?.id;
  if (!callId) return null;
  type Stored = {
    status: string;
    order: null | { customer: Record<string, string | null>; items: OrderLine[] };
  };
  const call = await pollUntil(
    async () => (await get(`${ctx.apiUrl}/api/calls/${callId}`)) as { extraction: Stored | null },
    (c) => c.extraction?.status === 'succeeded' || c.extraction?.status === 'failed',
    { timeoutMs: 60_000, intervalMs: 500, what: `the extraction of call ${callId}` },
  ).catch(() => undefined);
  const order = call?.extraction?.order;
  if (!order) return null;
  return {
    items: order.items.map((i) => ({ name: i.name, size: i.size ?? null, quantity: i.quantity })),
    name: order.customer.name ?? null,
    address: order.customer.address ?? null,
    phone: order.customer.phone ?? null,
  };
}

export async function runRobustnessCall(ctx: CallContext, c: Conversation): Promise<CallRecord> {
  const voice = `${c.voice.engine}:${c.voice.name}`;
  const noise = callNoiseBed(c, ctx.workDir, ctx.bed);
  const room = await noise.room();
  // over a continuous bed the microphone plays the room's noise itself: the lines are the caller's voice alone
  const lineNoise = room ? new NoiseBed({ kind: 'clean' }, ctx.workDir, []) : noise;
  const render = (u: Conversation['yes']) => renderUtterance(u, c.voice, c.wpm, lineNoise, ctx.workDir);
  const caller = new ScriptedCaller(c);
  const transcript: string[] = [];
  const recognised: RecognisedLine[] = [];
  const spans: SaidSpan[] = [];
  let overlapSpan: Span | undefined;
  let backchannelStopped: boolean | undefined;
  let outcome: Outcome = 'loop';
  let confirmed: OrderLine[] | null = null;
  let phoneSaid = false;
  let error: string | undefined;
  const { page, events } = ctx;

  const callStart = performance.now();
  await page.goto(ctx.pageUrl);
  await startAudioProbe(page);
  if (room) await playRoom(page, room);
  await page.click('#call');
  await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
  const roomId = await pollUntil(
    async () => events.firstAgentRoom(callStart),
    (r) => r !== undefined,
    { timeoutMs: 30_000, intervalMs: 20, what: 'the greeting' },
  );
  if (!roomId) throw new Error('no greeting');
  await events.doneSpeaking(roomId, 30_000);
  let replySince = callStart;
  const turns: CallerTurn[] = [];
  let silences = 0;
  let said: string | undefined;
  let saidOver: string | undefined;
  const note = (line: string) => {
    transcript.push(line);
    ctx.onLine?.(line);
  };
  // what the agent recognised of the caller's last line, once its reply (or the silence) is in
  const noteCaller = () => {
    if (said === undefined) return;
    const finals = events.finals(roomId, 'customer', replySince);
    note(`caller: ${said}  [heard: ${finals.map((t) => t.text).join(' | ')}]`);
    recognised.push({
      said,
      finals: finals.map((t) =>
        recordHeard({ text: t.text, alternatives: t.alternatives ?? [], confidence: t.confidence ?? 0 }),
      ),
    });
    if (saidOver) note(`caller (over the agent's reply): ${saidOver}`);
    said = undefined;
    saidOver = undefined;
  };
  try {
    for (let turn = 0; ; turn++) {
      noteCaller();
      const finals = events.finals(roomId, 'agent', replySince);
      note(`agent: ${finals.map((t) => t.text).join(' ')}`);
      for (const f of finals) confirmed = parseReadBack(f.text, ctx.menu) ?? confirmed;
      // a caller answers the reply it heard out, not one the agent broke off itself
      const heardOut = finals.filter((t) => !t.interrupted);
      const reply = (heardOut.length > 0 ? heardOut : finals).at(-1)?.text ?? '';
      const next = caller.answer(reply, {
        readBack: parseReadBack(reply, ctx.menu),
        acknowledged: parseAcknowledged(reply, ctx.menu),
        checked: parseChecked(reply, ctx.menu),
      });
      if (!next) {
        const ended = classifyAgentAsk(reply);
        outcome = ended === 'placed' ? 'placed' : ended === 'handoff' ? 'handoff' : 'goodbye';
        break;
      }
      turns.push(next);
      if (turn >= TURN_CAP || isLoop(turns)) {
        outcome = 'loop';
        break;
      }
      const audio = await render(next.utterance);
      const overlapAudio = next.overlapNext ? await render(caller.overlap()) : undefined;
      phoneSaid ||= next.utterance.segments.some((s) => /number is/.test(s));
      replySince = performance.now();
      const span = await play(page, audio);
      said = next.utterance.segments.join(' … ');
      spans.push({ ...span, line: said });
      if (!(await events.spoke(roomId, replySince, 25_000))) {
        // a real caller says it again once; twice unanswered is a silent agent
        if (++silences >= 2) {
          outcome = 'silence';
          break;
        }
        continue;
      }
      silences = 0;
      if (overlapAudio) {
        await sleep(OVERLAP_AFTER_MS);
        if (events.lastState(roomId) === 'speaking') {
          const overlapAt = performance.now();
          overlapSpan = await play(page, overlapAudio);
          saidOver = caller.overlap().segments.join(' ');
          if (c.overlap === 'backchannel') {
            await sleep(800);
            backchannelStopped = events.finals(roomId, 'agent', overlapAt).some((t) => t.interrupted);
          }
        }
      }
      // after a barge-in the agent stops, then answers it: wait for that answer too
      await events.doneSpeaking(roomId, 45_000, overlapSpan && c.overlap === 'barge' ? 1_500 : 400);
      // the rest of the caller's line broke off a reply the agent began in a pause: its answer to the rest follows
      if (events.finals(roomId, 'agent', replySince).at(-1)?.interrupted) {
        const brokenAt = performance.now();
        if (await events.spoke(roomId, brokenAt, 5_000)) await events.doneSpeaking(roomId, 45_000);
      }
    }
  } catch (err) {
    outcome = 'error';
    error = String(err);
  }
  noteCaller();
  await sleep(500);
  const packets = agentPacketTimes(await readAudioProbe(page));
  if (await page.locator('#leave').isVisible()) await page.click('#leave');
  const timings = spans.map((s) => ({ s, ...utteranceTiming(s, packets) }));
  const stop = overlapSpan && c.overlap === 'barge' ? bargeInStopMs(overlapSpan.startT, packets) : undefined;
  const extracted = await readExtraction(ctx, roomId).catch((err: unknown) => {
    error ??= `reading the extraction: ${String(err)}`;
    return null;
  });
  return {
    index: c.index,
    voice,
    noise: noiseLabel(c.noise),
    wpm: c.wpm,
    outcome,
    intended: c.intended,
    phoneSaid,
    confirmed,
    extracted,
    cutOffs: timings.filter((t) => t.cutOff).length,
    cutOffLines: timings.filter((t) => t.cutOff).map((t) => t.s.line),
    utterances: timings.length,
    voiceToVoiceMs: timings.flatMap((t) =>
      t.voiceToVoiceMs === undefined ? [] : [Math.round(t.voiceToVoiceMs)],
    ),
    ...(backchannelStopped !== undefined ? { backchannel: { stopped: backchannelStopped } } : {}),
    ...(stop !== undefined ? { bargeInStopMs: Math.round(stop) } : {}),
    transcript,
    recognised,
    stages: events.turnMetrics(roomId).map(({ roomId: _room, ...m }) => m),
    ...(error ? { error } : {}),
  };
}
