/**
 * The live path's end of turn, offline: one call's caller lines, as rendered for the robustness caller, go in 20 ms
 * frames through the agent's VAD (one stream per call, as the gate learns the room), the VAD's speech to the
 * recogniser (one stream per call, an utterance per VAD segment, listening for what the agent asked), and the VAD's
 * and recogniser's events to the real TurnStateMachine, on the caller's stream clock as TurnTaker feeds it. A final
 * reaches the machine `decodeMs` after the VAD ended its segment (the recogniser's decode, measured ~70-100 ms live).
 * Per line: when the machine ended the caller's turn against when the speech really ended, so a turn ended in one
 * of the line's pauses (the agent would answer half the line: a cut-off) shows, with what had been said then.
 */
import type { SttEvent, SttExpectation, SttStream, VadStream } from '@voiceroom/agent-core/stages';
import { VOICE_TAIL_MS } from '../../agent-worker/src/pipeline/CallerVoice.ts';
import { type Completeness, completeness } from '../../agent-worker/src/pipeline/endpointing.ts';
import { TurnStateMachine } from '../../agent-worker/src/pipeline/TurnStateMachine.ts';
import type { TurnAction, TurnSettings } from '../../agent-worker/src/pipeline/turnEvents.ts';
import { DEFAULT_PARTIAL_INTERVAL_MS as PARTIAL_INTERVAL_MS } from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';

type CommitAction = Extract<TurnAction, { type: 'commit_user_turn' }>;

const SAMPLES_PER_MS = 16;
const FRAME_SAMPLES = 320;
/** Silence after each line: past the longest wait, and a gap before the next line. */
export const AFTER_LINE_MS = 2_000;

/** A caller line at 16 kHz, with where its spoken pieces are (the pauses lie between them). */
export interface LineAudio {
  pcm: Int16Array;
  piecesMs: readonly { startMs: number; endMs: number }[];
  /**
   * How much of AFTER_LINE_MS the line's audio already holds at its end (the room's noise going on after the
   * line); the rest of it is digital silence.
   */
  roomAfterMs?: number;
}

export interface TurnEnd {
  /** When the machine ended the turn, after the line's speech really ended (negative: in the middle of it). */
  afterSpeechMs: number;
  /**
   * Where the VAD put the end of the speech the turn ended on, and when that speech's final reached the machine,
   * both after the line's speech really ended: the end of turn is the VAD's lag, then the final (its hangover and
   * the decode), then the endpointing's wait beyond it.
   */
  vadEndAfterSpeechMs: number;
  finalAfterSpeechMs: number;
  /** Where the VAD heard the caller's own voice end, in speech a room's voices started (ForegroundOnset). */
  voiceEndAfterSpeechMs?: number;
  text: string;
  judged: Completeness;
  /**
   * When the turn ended before the line did: after which of its pieces (0: in the pause after the first; -1: inside
   * the first piece, which the VAD split).
   */
  inPause?: number;
}

export interface LineTurns {
  /** The recogniser's final per VAD segment of the line, with its last partial. */
  finals: { text: string; confidence: number; alternatives: readonly string[]; partial?: string }[];
  ends: TurnEnd[];
  /** The partials given after the caller's voice ended over a room (what a room-held answer is judged by). */
  peeked: string[];
}

interface PlayedLine {
  audio: LineAudio;
  expecting: SttExpectation;
  /** The caller's stream time where the line's audio starts. */
  originMs: number;
}

export class CallTurns {
  readonly #vad: VadStream;
  readonly #stt: SttStream;
  /** Decodes the speech so far where the live recogniser would give a partial after the caller's voice ended. */
  readonly #peek: SttStream | undefined;
  readonly #events: AsyncIterator<SttEvent>;
  #peekEvents: AsyncIterator<SttEvent> | undefined;
  readonly #settings: TurnSettings;
  readonly #decodeMs: number;
  /** Samples fed so far: the caller's stream clock. */
  #samples = 0;
  /** Where the VAD last heard the caller's own voice end over a room, in the latest speech (stream ms). */
  #voiceEndMs: number | undefined;

  /** `settings`: the agent's turn-taking, as VoicePipeline gives them to its TurnTaker. */
  constructor(vad: VadStream, stt: SttStream, settings: TurnSettings, decodeMs: number, peek?: SttStream) {
    this.#vad = vad;
    this.#stt = stt;
    this.#peek = peek;
    this.#events = stt[Symbol.asyncIterator]();
    this.#settings = settings;
    this.#decodeMs = decodeMs;
  }

  /**
   * What the caller's microphone carries while the agent greets, before the first line (the room, or silence): the
   * VAD hears it as it does live, where a call's stream never starts on the caller's first word, and is told, as
   * live, that the agent holds the turn meanwhile.
   */
  hearGreeting(pcm: Int16Array): void {
    this.#vad.setAgentTurn?.(true);
    for (let at = 0; at < pcm.length; at += FRAME_SAMPLES) {
      const frame = pcm.subarray(at, at + FRAME_SAMPLES);
      this.#samples += frame.length;
      this.#vad.push(frame);
    }
    this.#vad.setAgentTurn?.(false);
  }

  /** Plays `line` after the agent asked for `expecting`; resolves once it and the silence after it are through. */
  async play(line: LineAudio, expecting: SttExpectation): Promise<LineTurns> {
    const machine = new TurnStateMachine(this.#settings);
    const originMs = this.#samples / SAMPLES_PER_MS;
    const played: PlayedLine = { audio: line, expecting, originMs };
    const silenceMs = Math.max(AFTER_LINE_MS - (line.roomAfterMs ?? 0), 0);
    const pcm = new Int16Array(line.pcm.length + silenceMs * SAMPLES_PER_MS);
    pcm.set(line.pcm);
    const finals: LineTurns['finals'] = [];
    const ends: TurnEnd[] = [];
    const peeked: string[] = [];
    const due: { atMs: number; text: string; partial?: string }[] = [];
    let endNow = false;
    const take = (actions: readonly TurnAction[], atMs: number) => {
      for (const a of actions) {
        if (a.type === 'commit_user_turn') ends.push(this.#end(a, atMs, played));
        if (a.type === 'end_caller_speech') endNow = true;
      }
    };
    this.#stt.expect?.(expecting);
    this.#peek?.expect?.(expecting);
    take(machine.handle({ type: 'agent_asked', expecting, atMs: originMs }), originMs);
    /** Where the current speech began in `pcm`, and where the recogniser was fed up to. */
    let segmentFrom: number | undefined;
    let speechFrom: number | undefined;
    let nextPartialMs = 0;
    let peekedTrailMs: number | undefined;
    const ended = async (atMs: number, upTo: number, nowMs: number) => {
      if (speechFrom === undefined) return;
      this.#stt.pushAudio(pcm.slice(speechFrom, upTo));
      speechFrom = undefined;
      segmentFrom = undefined;
      this.#stt.endUtterance();
      take(machine.handle({ type: 'user_speech_end', atMs }), atMs);
      const heard = await this.#final();
      if (heard.text.trim()) finals.push(heard);
      due.push({ atMs: nowMs + this.#decodeMs, ...heard });
    };
    for (let at = 0; at < pcm.length; at += FRAME_SAMPLES) {
      const frame = pcm.subarray(at, at + FRAME_SAMPLES);
      const frameStart = this.#samples;
      this.#samples += frame.length;
      const nowMs = this.#samples / SAMPLES_PER_MS;
      for (const e of this.#vad.push(frame)) {
        if (e.type === 'speech_start') {
          speechFrom = Math.max(e.atMs * SAMPLES_PER_MS - (frameStart - at), 0);
          segmentFrom = speechFrom;
          nextPartialMs = nowMs + PARTIAL_INTERVAL_MS;
          this.#voiceEndMs = undefined;
          take(machine.handle({ type: 'user_speech_start', atMs: e.atMs }), e.atMs);
        } else await ended(e.atMs, at + frame.length, nowMs);
      }
      if (speechFrom !== undefined) {
        this.#stt.pushAudio(pcm.slice(speechFrom, at + frame.length));
        speechFrom = at + frame.length;
      }
      while (due[0] && due[0].atMs <= nowMs) {
        const d = due.shift() as (typeof due)[number];
        if (d.partial)
          take(
            machine.handle({ type: 'user_transcript', text: d.partial, final: false, atMs: nowMs }),
            nowMs,
          );
        take(machine.handle({ type: 'user_transcript', text: d.text, final: true, atMs: nowMs }), nowMs);
      }
      this.#voiceEndMs = this.#vad.foregroundTrailEndMs ?? this.#voiceEndMs;
      if (segmentFrom !== undefined && nowMs >= nextPartialMs) {
        nextPartialMs += PARTIAL_INTERVAL_MS;
        const trailMs = this.#vad.foregroundTrailEndMs;
        // the first partial after the caller's voice ended: what the turn judges a room-held answer by
        if (trailMs !== undefined && trailMs !== peekedTrailMs && nowMs >= trailMs + VOICE_TAIL_MS) {
          peekedTrailMs = trailMs;
          const text = await this.#peekAt(pcm.slice(segmentFrom, at + frame.length));
          if (text) peeked.push(text);
          if (text) take(machine.handle({ type: 'user_transcript', text, final: false, atMs: nowMs }), nowMs);
        }
      }
      const onset = speechFrom === undefined && this.#vad.onset === true;
      take(machine.handle({ type: 'tick', atMs: nowMs, speechOnset: onset, ...this.#foreground() }), nowMs);
      if (endNow) {
        endNow = false;
        for (const e of this.#vad.endSpeech?.() ?? []) await ended(e.atMs, at + frame.length, nowMs);
      }
    }
    return { finals, ends, peeked };
  }

  /** In speech, where the VAD hears the caller's own voice in it, as the live path ticks the machine with it. */
  #foreground(): { foregroundStartMs?: number; foregroundEndMs?: number; foregroundTrailEndMs?: number } {
    const { foregroundStartMs: startMs, foregroundEndMs: endMs, foregroundTrailEndMs: trailMs } = this.#vad;
    return {
      ...(startMs !== undefined ? { foregroundStartMs: startMs } : {}),
      ...(endMs !== undefined ? { foregroundEndMs: endMs } : {}),
      ...(trailMs !== undefined ? { foregroundTrailEndMs: trailMs } : {}),
    };
  }

  /** What the recogniser makes of `pcm`, the speech so far, as a partial of it would say (none without a peek). */
  async #peekAt(pcm: Int16Array): Promise<string> {
    const peek = this.#peek;
    if (!peek) return '';
    const events = this.#peekEvents ?? peek[Symbol.asyncIterator]();
    this.#peekEvents = events;
    peek.pushAudio(pcm);
    peek.endUtterance();
    for (let r = await events.next(); !r.done; r = await events.next())
      if (r.value.type === 'final') return r.value.text.trim();
    return '';
  }

  /** The recogniser's final for the utterance just ended, with its last partial. */
  async #final(): Promise<{
    text: string;
    confidence: number;
    alternatives: readonly string[];
    partial?: string;
  }> {
    let partial: string | undefined;
    for (let r = await this.#events.next(); !r.done; r = await this.#events.next()) {
      const event = r.value;
      if (event.type === 'partial') partial = event.text;
      else
        return {
          text: event.text,
          confidence: event.confidence,
          alternatives: event.alternatives ?? [],
          ...(partial ? { partial } : {}),
        };
    }
    throw new Error('the recognition stream ended without a final');
  }

  #end(commit: CommitAction, atMs: number, line: PlayedLine): TurnEnd {
    const { text } = commit;
    const inLine = atMs - line.originMs;
    const pieces = line.audio.piecesMs;
    const spokenEndMs = line.originMs + (pieces.at(-1)?.endMs ?? 0);
    const afterSpeechMs = Math.round(atMs - spokenEndMs);
    // the pause after the last piece said before the turn ended (-1: the turn ended inside the first piece)
    const pause = pieces.filter((p) => p.endMs <= inLine).length - 1;
    return {
      afterSpeechMs,
      vadEndAfterSpeechMs: Math.round(commit.speechEndAtMs - spokenEndMs),
      finalAfterSpeechMs: Math.round(commit.finalAtMs - spokenEndMs),
      ...(this.#voiceEndMs !== undefined
        ? { voiceEndAfterSpeechMs: Math.round(this.#voiceEndMs - spokenEndMs) }
        : {}),
      text,
      judged: completeness(text, line.expecting),
      ...(afterSpeechMs < 0 ? { inPause: pause } : {}),
    };
  }
}
