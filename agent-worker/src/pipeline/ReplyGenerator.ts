import type { DialogSession, DialogTurnInput } from '@voiceroom/agent-core/stages';
import type { ChatHistory } from './ChatHistory.ts';
import type { Clock } from './clock.ts';
import { FrameProcessor } from './FrameProcessor.ts';
import type { DownstreamFrame, UpstreamFrame } from './frames.ts';
import { unheardAsk } from './reprompt.ts';

/** One piece of synthesized speech and the sentence it belongs to. */
export interface SpokenChunk {
  text: string;
  pcm: Int16Array;
  /** Last chunk of this sentence. */
  last: boolean;
}

/** Sentence-chunking TTS: turns a stream of text into sentence audio, in order; stops promptly on abort. */
export type SpeakSentences = (text: AsyncIterable<string>, signal: AbortSignal) => AsyncIterable<SpokenChunk>;

/** Clock times of one answered caller turn, for turn.metrics. */
export interface TurnTimings {
  turn: number;
  speechEndAtMs: number;
  finalAtMs: number;
  committedAtMs: number;
  dialogStartAtMs: number;
  firstTextAtMs?: number;
  firstPcmAtMs?: number;
  firstPlayedAtMs?: number;
}

export interface ReplyReporter {
  /** Caption: the agent's turn as played so far. */
  agentSpeaking(turnId: number, heardText: string, startedAtMs: number, atMs: number): void;
  agentTurnEnded(
    turnId: number,
    heardText: string,
    interrupted: boolean,
    startedAtMs: number,
    atMs: number,
  ): void;
  turnMetrics(timings: TurnTimings, interrupted: boolean): void;
  endCall(): void;
  handoff(reason: string): void;
  /** The caller consented to be called back (on `phone` when they gave it). */
  callback(phone: string | null): void;
  /**
   * The dialog failed (`apologised`: the caller was told instead of left in silence), or the TTS failed and the
   * turn was lost.
   */
  stageFailed(stage: 'dialog' | 'tts', error: unknown, apologised: boolean): void;
}

export interface ReplyGeneratorOptions {
  dialog: DialogSession;
  speak: SpeakSentences;
  history: ChatHistory;
  clock: Clock;
  reporter: ReplyReporter;
  /** Number of the first answered turn (turn.metrics): above the earlier agents' when resuming a call. */
  firstTurn?: number;
}

interface AgentTurn {
  id: number;
  controller: AbortController;
  startedAtMs: number;
  timings: TurnTimings | undefined;
  endCall: boolean;
  /** The reply's text as far as it was produced, heard or not. */
  said: string;
  /** The reply's sentences as far as they started playing. */
  heard: string;
}

const MAX_HINTS = 5;

export const DIALOG_FAILED_REPLY = "Sorry, I'm having trouble with that right now. Could you say it again?";

/**
 * Runs one agent turn at a time: asks the dialog for a reply to the caller's turn (or takes a fixed text such as
 * the greeting), streams it through sentence-chunked TTS into the output, and cancels all of it on interruption.
 * Keeps the chat history, where each agent turn is recorded as far as the caller heard it.
 */
export class ReplyGenerator extends FrameProcessor {
  readonly #options: ReplyGeneratorOptions;
  #turn: AgentTurn | undefined;
  #nextTurnId = 0;
  #answeredTurns = 0;
  #hints: string[] = [];

  constructor(options: ReplyGeneratorOptions) {
    super();
    this.#options = options;
    this.#answeredTurns = options.firstTurn ?? 0;
  }

  get busy(): boolean {
    return this.#turn !== undefined;
  }

  addHint(text: string): void {
    this.#hints.push(text);
    if (this.#hints.length > MAX_HINTS) this.#hints.shift();
  }

  processDown(frame: DownstreamFrame): void {
    switch (frame.kind) {
      case 'user_turn': {
        if (frame.answer) this.#endUnfinished();
        this.#options.history.addUser(frame.text);
        if (!frame.answer) break;
        const now = this.#options.clock.now();
        const timings: TurnTimings = {
          turn: this.#answeredTurns++,
          speechEndAtMs: frame.speechEndAtMs,
          finalAtMs: frame.finalAtMs,
          committedAtMs: frame.atMs,
          dialogStartAtMs: now,
        };
        const heard = { confidence: frame.confidence, alternatives: frame.alternatives };
        this.#start(timings, (signal, turn) => this.#dialogText(frame.text, heard, signal, turn));
        break;
      }
      case 'speak':
        this.#start(undefined, async function* () {
          yield frame.text;
        });
        break;
      case 'interruption':
        this.#turn?.controller.abort();
        this.pushDown(frame);
        break;
      default:
        this.pushDown(frame);
    }
  }

  override processUp(frame: UpstreamFrame): void {
    const turn = this.#turn;
    if (turn !== undefined && 'turnId' in frame && frame.turnId === turn.id) {
      if (frame.kind === 'bot_started_speaking' && turn.timings) turn.timings.firstPlayedAtMs = frame.atMs;
      if (frame.kind === 'bot_speaking_text') {
        turn.heard = frame.heardText;
        this.#options.reporter.agentSpeaking(turn.id, frame.heardText, turn.startedAtMs, frame.atMs);
      }
      if (frame.kind === 'bot_turn_ended') this.#finish(turn, frame.heardText, frame.interrupted, frame.atMs);
    }
    this.pushUp(frame);
  }

  close(): void {
    this.#turn?.controller.abort();
    this.#turn = undefined;
  }

  /**
   * A turn still playing when the next one starts is cut by it, and its end from the output would come with the new
   * turn's id already current: it is recorded here, as far as it played, so the history (and what the dialog is told
   * went unheard) never skips an agent turn.
   */
  #endUnfinished(): void {
    const turn = this.#turn;
    if (turn !== undefined) this.#finish(turn, turn.heard, true, this.#options.clock.now());
  }

  #start(
    timings: TurnTimings | undefined,
    text: (signal: AbortSignal, turn: AgentTurn) => AsyncIterable<string>,
  ): void {
    this.#endUnfinished();
    const turn: AgentTurn = {
      id: this.#nextTurnId++,
      controller: new AbortController(),
      startedAtMs: this.#options.clock.now(),
      timings,
      endCall: false,
      said: '',
      heard: '',
    };
    this.#turn = turn;
    this.pushDown({ kind: 'agent_turn_started', turnId: turn.id });
    this.#produce(turn, this.#noted(turn, text(turn.controller.signal, turn))).catch((error: unknown) => {
      if (!turn.controller.signal.aborted) this.#options.reporter.stageFailed('tts', error, false);
      if (this.#turn === turn) this.pushDown({ kind: 'reply_done', turnId: turn.id });
    });
  }

  async *#noted(turn: AgentTurn, text: AsyncIterable<string>): AsyncIterable<string> {
    for await (const chunk of text) {
      turn.said += chunk;
      yield chunk;
    }
  }

  async #produce(turn: AgentTurn, text: AsyncIterable<string>): Promise<void> {
    const { signal } = turn.controller;
    for await (const chunk of this.#options.speak(text, signal)) {
      if (signal.aborted) return;
      if (turn.timings && turn.timings.firstPcmAtMs === undefined && chunk.pcm.length > 0) {
        turn.timings.firstPcmAtMs = this.#options.clock.now();
      }
      this.pushDown({
        kind: 'agent_audio',
        turnId: turn.id,
        sentence: chunk.text,
        pcm: chunk.pcm,
        last: chunk.last,
      });
    }
    if (!signal.aborted) this.pushDown({ kind: 'reply_done', turnId: turn.id });
  }

  async *#dialogText(
    userText: string,
    heard: Pick<DialogTurnInput, 'confidence' | 'alternatives'>,
    signal: AbortSignal,
    turn: AgentTurn,
  ): AsyncIterable<string> {
    const { history } = this.#options;
    const input: DialogTurnInput = {
      history: [...history.messages],
      userText,
      hints: this.#hints,
      ...(heard.confidence !== undefined ? { confidence: heard.confidence } : {}),
      ...(heard.alternatives ? { alternatives: heard.alternatives } : {}),
      ...(history.unheardAsk !== undefined ? { unheardAsk: history.unheardAsk } : {}),
    };
    this.#hints = [];
    let said = false;
    try {
      for await (const chunk of this.#options.dialog.respond(input, signal)) {
        if (signal.aborted) return;
        if (chunk.type === 'text') {
          if (turn.timings && turn.timings.firstTextAtMs === undefined) {
            turn.timings.firstTextAtMs = this.#options.clock.now();
          }
          said = true;
          yield chunk.text;
        } else if (chunk.type === 'end_call') {
          turn.endCall = true;
        } else if (chunk.type === 'callback') {
          this.#options.reporter.callback(chunk.phone);
        } else {
          this.#options.reporter.handoff(chunk.reason);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      this.#options.reporter.stageFailed('dialog', error, !said);
      // A failing model (unreachable, rate limited) must not leave the caller in silence.
      if (!said) yield DIALOG_FAILED_REPLY;
    }
  }

  #finish(turn: AgentTurn, heardText: string, interrupted: boolean, atMs: number): void {
    turn.controller.abort();
    this.#turn = undefined;
    this.#options.history.addAssistant(heardText, unheardAsk(turn.said, heardText));
    const { reporter } = this.#options;
    reporter.agentTurnEnded(turn.id, heardText, interrupted, turn.startedAtMs, atMs);
    if (turn.timings?.firstPlayedAtMs !== undefined) reporter.turnMetrics(turn.timings, interrupted);
    if (turn.endCall && !interrupted) reporter.endCall();
  }
}
