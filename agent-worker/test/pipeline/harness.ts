import type { Dialog, Stt, Vad } from '@voiceroom/agent-core/stages';
import { type AgentConfigInput, AgentConfigSchema, type SessionResume } from '@voiceroom/protocol';
import { speakWith } from '../../src/pipeline/sentenceSpeech.ts';
import {
  type PipelineEvent,
  VoicePipeline,
  type VoicePipelineOptions,
} from '../../src/pipeline/VoicePipeline.ts';
import { FakeClock, LevelVad, ScriptedDialogDouble, ScriptedStt, ToneTts } from './doubles.ts';

export const SPEECH = 4000;

/** A reply long enough to be interrupted mid-way. */
export const LONG_REPLY =
  'One large pepperoni pizza coming up. It will be ready in thirty minutes. We also have garlic bread today. Anything else for you?';
const FRAME = 320;

export interface Harness {
  pipeline: VoicePipeline;
  clock: FakeClock;
  vad: LevelVad;
  stt: ScriptedStt;
  dialog: ScriptedDialogDouble;
  tts: ToneTts;
  events: PipelineEvent[];
  /** Per 20 ms step: the clock time and whether the pipeline returned agent audio. */
  played: { atMs: number; audio: boolean }[];
  callerSamplesPushed: number;
  /**
   * Advances `ms` in 20 ms steps: caller frame in (speech or silence; 'whisper' = a co-pilot whispering, 'human' = a
   * human agent speaking to the caller, both while the caller is silent), one agent frame pulled.
   */
  run(ms: number, caller?: 'speech' | 'silence' | 'whisper' | 'human'): Promise<void>;
  /**
   * An event-loop stall: `ms` pass with nothing pushed or pulled, then that much caller audio arrives at once (the
   * media path delivers what queued up).
   */
  stallThenBurst(ms: number, caller: 'speech' | 'silence'): Promise<void>;
  /** Runs silence until the agent is listening again (at most `limitMs`). */

  untilListening(limitMs?: number): Promise<void>;
  of<T extends PipelineEvent['type']>(type: T): Extract<PipelineEvent, { type: T }>[];
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface HarnessOptions {
  /** Offline stages that take over when the configured VAD or recogniser fails mid-call. */
  fallbacks?: { vad?: Vad; stt?: Stt };
  /** A real dialog instead of the double (`harness.dialog` then sees no requests). */
  realDialog?: Dialog;
  /** The call so far: the pipeline takes it over from a lost agent. */
  resume?: SessionResume;
  noiseSuppressor?: VoicePipelineOptions['noiseSuppressor'];
  /** A VAD instead of the level double (`harness.vad` then hears nothing). */
  vad?: Vad;
}

export function createHarness(
  overrides: Partial<AgentConfigInput> = {},
  options: HarnessOptions = {},
): Harness {
  const fallbacks = options.fallbacks ?? {};
  const config = AgentConfigSchema.parse({
    id: 'test',
    name: 'Test',
    greeting: 'Hello there. How can I help?',
    vad: { minSilenceMs: 200 },
    turn: {
      endpointingDelayMs: 300,
      minInterruptionMs: 300,
      minInterruptionWords: 0,
      falseInterruptionTimeoutMs: 1500,
    },
    ...overrides,
  });
  const clock = new FakeClock();
  const vad = new LevelVad(config.vad.minSilenceMs);
  const stt = new ScriptedStt();
  const dialog = new ScriptedDialogDouble(clock);
  const tts = new ToneTts();
  const events: PipelineEvent[] = [];
  const pipeline = new VoicePipeline({
    roomId: 'room-1',
    config,
    ...(options.resume ? { resume: options.resume } : {}),
    ...(options.noiseSuppressor ? { noiseSuppressor: options.noiseSuppressor } : {}),
    vad: options.vad ?? vad,
    stt,
    fallbacks: {
      ...(fallbacks.vad ? { vad: async () => fallbacks.vad as Vad } : {}),
      ...(fallbacks.stt ? { stt: async () => fallbacks.stt as Stt } : {}),
    },
    dialog: options.realDialog ?? dialog,
    tts,
    speak: speakWith(tts, config.tts.parallelism),
    emit: (e) => events.push(e),
    clock,
  });
  const speech = new Int16Array(FRAME).fill(SPEECH);
  const silence = new Int16Array(FRAME);
  const harness: Harness = {
    pipeline,
    clock,
    vad,
    stt,
    dialog,
    tts,
    events,
    played: [],
    callerSamplesPushed: 0,
    async run(ms, caller = 'silence') {
      for (let t = 0; t < ms; t += 20) {
        clock.advance(20);
        pipeline.pushCallerAudio(caller === 'speech' ? speech : silence);
        if (caller === 'whisper') pipeline.pushWhisperAudio(speech);
        if (caller === 'human') pipeline.pushHumanAudio(speech);
        harness.callerSamplesPushed += FRAME;
        harness.played.push({ atMs: clock.now(), audio: pipeline.pullAudio() !== null });
        await flush();
      }
    },
    async stallThenBurst(ms, caller) {
      clock.advance(ms);
      for (let t = 0; t < ms; t += 20) {
        pipeline.pushCallerAudio(caller === 'speech' ? speech : silence);
        harness.callerSamplesPushed += FRAME;
      }
      harness.played.push({ atMs: clock.now(), audio: pipeline.pullAudio() !== null });
      await flush();
    },
    async untilListening(limitMs = 60_000) {
      for (let t = 0; t < limitMs && pipeline.state !== 'listening'; t += 20) await harness.run(20);
      if (pipeline.state !== 'listening') throw new Error(`still ${pipeline.state} after ${limitMs} ms`);
    },
    of: (type) => events.filter((e) => e.type === type) as never,
  };
  return harness;
}

/** Clock times of the steps that produced agent audio between `fromMs` and `toMs`. */
export function audioBetween(h: Harness, fromMs: number, toMs = Number.POSITIVE_INFINITY): number[] {
  return h.played.filter((p) => p.audio && p.atMs > fromMs && p.atMs <= toMs).map((p) => p.atMs);
}

/** A started harness past its greeting, listening for the caller. */
export async function greeted(overrides: Partial<AgentConfigInput> = {}): Promise<Harness> {
  const h = createHarness(overrides);
  h.pipeline.start();
  await h.untilListening();
  return h;
}

/** Starts `h` and has its agent speak a long reply to "I want a pizza". */
export async function speakingLongReply(h: Harness = createHarness()): Promise<Harness> {
  h.pipeline.start();
  await h.untilListening();
  h.dialog.reply = () => [{ type: 'text', text: LONG_REPLY }];
  h.stt.utterances.push('I want a pizza');
  await h.run(1000, 'speech');
  await h.run(1200);
  if (h.pipeline.state !== 'speaking') throw new Error(`${h.pipeline.state}, not speaking the reply`);
  return h;
}

/** The agent's final transcripts (what the caller heard of each of its turns). */
export const agentFinals = (h: Harness) => h.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
