import { CallbackOffer } from '@voiceroom/agent-core/dialog';
import type { Dialog, Stt, Tts, Vad } from '@voiceroom/agent-core/stages';
import type { AgentConfig, AgentState, SessionCallEvent, SessionResume } from '@voiceroom/protocol';
import type { Logger } from 'pino';
import type { NoiseSuppressor } from '../audio/NoiseSuppressor.ts';
import type { CallPipeline } from '../worker/CallPipeline.ts';
import { AudioOutput } from './AudioOutput.ts';
import { CallerInput } from './CallerInput.ts';
import { type CallerTranscript, CallerTranscripts } from './CallerTranscripts.ts';
import { ChatHistory } from './ChatHistory.ts';
import { type Clock, systemClock } from './clock.ts';
import type { FrameProcessor } from './FrameProcessor.ts';
import { listeningFor } from './listeningFor.ts';
import {
  ReplyGenerator,
  type ReplyReporter,
  type SpeakSentences,
  type TurnTimings,
} from './ReplyGenerator.ts';
import { repromptFor } from './reprompt.ts';
import { resumeCall } from './resumedCall.ts';
import { SideVoice } from './SideVoice.ts';
import { StageRecovery } from './StageRecovery.ts';
import { TurnTaker } from './TurnTaker.ts';
import { WhisperHints } from './WhisperHints.ts';

/**
 * transcript | agent.state | turn.metrics | stage.failed | handoff | callback | end_call (after the goodbye was
 * played), each with roomId.
 */
export type PipelineEvent = SessionCallEvent;

export interface VoicePipelineOptions {
  roomId: string;
  config: AgentConfig;
  /**
   * The call so far, when this agent takes it over from a lost one: no greeting, the conversation is carried on,
   * and transcript times, segment ids and turn numbers continue the call's.
   */
  resume?: SessionResume;
  vad: Vad;
  stt: Stt;
  /**
   * The offline VAD and recogniser that take over when `vad` or `stt` fails mid-call; without one the agent says it
   * cannot hear and asks for a human.
   */
  fallbacks?: { vad?: () => Promise<Vad>; stt?: () => Promise<Stt> };
  /** The caller's audio goes through it before the VAD and the recogniser (config.asr.noiseSuppression). */
  noiseSuppressor?: Pick<NoiseSuppressor, 'process' | 'close'>;
  dialog: Dialog;
  tts: Tts;
  /** Sentence-chunking TTS over `tts`. */
  speak: SpeakSentences;
  emit(event: PipelineEvent): void;
  /** The caller talks over the agent: drop agent audio the media path holds but has not played (see CallPipeline). */
  cancelOutput?: () => void;
  /** Told once when the pipeline closed (the stage cache's lease is released then). */
  onClosed?: () => void;
  clock?: Clock;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface VoicePipelineStats {
  state: AgentState;
  historyMessages: number;
  historyChars: number;
  pendingCallerChars: number;
  queuedOutputSamples: number;
  outputUnderruns: number;
}

const round = (ms: number) => Math.max(0, Math.round(ms));

/**
 * One call's voice pipeline: caller audio -> VAD -> STT -> turn-taking -> dialog -> sentence TTS -> output frames.
 * The media path pushes the caller's decoded 16 kHz audio in and pulls one 20 ms frame of agent audio per packet.
 */
export class VoicePipeline implements CallPipeline {
  readonly #options: VoicePipelineOptions;
  readonly #clock: Clock;
  readonly #callStartMs: number;
  readonly #input: CallerInput;
  readonly #turnTaker: TurnTaker;
  readonly #replies: ReplyGenerator;
  readonly #output: AudioOutput;
  readonly #history = new ChatHistory();
  readonly #dialogSession: CallbackOffer;
  /** Opened on the first co-pilot whisper: its own VAD and recogniser streams. */
  #whisper: SideVoice | undefined;
  /** Opened when a human agent first speaks to the caller (barge or takeover). */
  #human: SideVoice | undefined;
  readonly #recovery: StageRecovery;
  /** Prefix of this pipeline's transcript segment ids: empty, or `r<n>-` for the n-th agent resuming the call. */
  readonly #segmentPrefix: string;
  /** What to say first instead of the greeting, when resuming. */
  readonly #opening: string;
  #started = false;
  #closed = false;

  constructor(options: VoicePipelineOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    const { config, resume } = options;
    this.#callStartMs = this.#clock.now() - (resume?.callMs ?? 0);
    this.#segmentPrefix = resume ? `r${resume.resumes}-` : '';
    this.#recovery = new StageRecovery({
      roomId: options.roomId,
      providers: {
        vad: options.vad.name,
        stt: options.stt.name,
        dialog: options.dialog.name,
        tts: options.tts.name,
      },
      callMs: () => this.#callMs(this.#clock.now()),
      emit: (event) => this.#emit(event),
      speak: (text) => this.#turnTaker.speak(text),
      closed: () => this.#closed,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.#input = new CallerInput({
      vad: options.vad.createStream(),
      stt: options.stt.createStream(),
      prefixPaddingMs: config.vad.prefixPaddingMs,
      clock: this.#clock,
      onError: (stage, error) => this.#inputFailed(stage, error),
    });
    // the agent opens the call (greeting or resume line): the caller's microphone hears their room from its first frame
    this.#input.setAgentState('thinking');
    this.#turnTaker = new TurnTaker({
      settings: {
        ...config.turn,
        vadHangoverMs: config.vad.minSilenceMs,
        vadPrefixMs: config.vad.prefixPaddingMs,
      },
      clock: this.#clock,
      onState: (state) => {
        this.#input.setAgentState(state);
        this.#emit({ type: 'agent.state', roomId: options.roomId, state });
      },
      // deaf, the agent has said it cannot hear and asked for a person: asking again would contradict it
      reprompt: (reason) => {
        if (!this.#recovery.hearing) return undefined;
        options.logger?.info({ roomId: options.roomId, reason }, 'the caller got no reply: asking again');
        return repromptFor(this.#history.messages, this.#history.unheardAsk);
      },
    });
    this.#dialogSession = new CallbackOffer(options.dialog.createSession());
    this.#replies = new ReplyGenerator({
      dialog: this.#dialogSession,
      speak: options.speak,
      history: this.#history,
      clock: this.#clock,
      reporter: this.#reporter(),
      ...(resume ? { firstTurn: resume.nextTurn } : {}),
    });
    this.#opening = resume ? resumeCall(resume, this.#history, this.#dialogSession) : config.greeting;
    this.#output = new AudioOutput({
      sampleRate: options.tts.sampleRate,
      clock: this.#clock,
      ...(options.cancelOutput ? { onCancel: options.cancelOutput } : {}),
    });
    this.#input
      .link(
        new CallerTranscripts((t) => this.#emitTranscript('customer', t), `${this.#segmentPrefix}customer`),
      )
      .link(this.#turnTaker)
      .link(this.#replies)
      .link(this.#output);
  }

  get outputSampleRate(): number {
    return this.#options.tts.sampleRate;
  }

  get state(): AgentState {
    return this.#turnTaker.machine.state;
  }

  get history(): ChatHistory {
    return this.#history;
  }

  get stats(): VoicePipelineStats {
    return {
      state: this.state,
      historyMessages: this.#history.messages.length,
      historyChars: this.#history.totalChars,
      pendingCallerChars: this.#turnTaker.machine.pendingText.length,
      queuedOutputSamples: this.#output.queuedSamples,
      outputUnderruns: this.#output.underruns,
    };
  }

  /** Plays the greeting (resuming a call: the resume line); call once media flows. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#emit({ type: 'agent.state', roomId: this.#options.roomId, state: 'listening' });
    this.#turnTaker.speak(this.#opening);
  }

  /**
   * Feeds the caller's decoded 16 kHz mono audio as it arrives (any length, no holes). Timing is taken from the
   * pipeline's clock at arrival, so the media path's own timestamp (`_atMs`) need not share it.
   */
  pushCallerAudio(pcm16k: Int16Array, _atMs?: number): void {
    if (this.#closed || pcm16k.length === 0) return;
    const atMs = this.#clock.now() - pcm16k.length / 16;
    const pcm = this.#options.noiseSuppressor?.process(pcm16k) ?? pcm16k;
    this.#input.processDown({ kind: 'caller_audio', pcm, atMs });
  }

  /** The next 20 ms of agent audio at `outputSampleRate`, or null when silent. What is pulled counts as heard. */
  pullAudio(): Int16Array | null {
    return this.#closed ? null : this.#output.pull();
  }

  /** A co-pilot's audio whisper (16 kHz mono): transcribed into coaching hints, never taken as the caller's words. */
  pushWhisperAudio(pcm16k: Int16Array): void {
    if (this.#closed || pcm16k.length === 0) return;
    this.#whisper ??= this.#openSideVoice(
      'whisper recognition failed',
      new WhisperHints((text) => {
        this.#options.logger?.info({ roomId: this.#options.roomId, hint: text }, 'co-pilot whisper heard');
        this.#replies.addHint(text);
      }),
    );
    this.#whisper.push(pcm16k);
  }

  /**
   * A human agent speaking to the caller (barge or takeover), 16 kHz mono: transcribed as speaker `human`, and
   * each utterance joins the history and the dialog's state, so after handback the agent knows what was agreed.
   * It never takes the caller's turn or interrupts the agent.
   */
  pushHumanAudio(pcm16k: Int16Array): void {
    if (this.#closed || pcm16k.length === 0) return;
    this.#human ??= this.#openSideVoice(
      'human agent speech recognition failed',
      new CallerTranscripts((t) => {
        this.#emitTranscript('human', t);
        if (!t.final) return;
        this.#history.addHuman(t.text);
        this.#dialogSession.hearHuman?.(t.text);
      }, `${this.#segmentPrefix}human`),
    );
    this.#human.push(pcm16k);
  }

  /** A human co-pilot's coaching hint for the agent's next reply. */
  addHint(text: string): void {
    this.#replies.addHint(text);
  }

  /** Nobody took the handoff: the agent's next turn says so and offers a callback. */
  handoffUnanswered(): void {
    if (!this.#closed) this.#turnTaker.speak(this.#dialogSession.offer());
  }

  /** Takeover: while muted the agent stops speaking and records the caller's turns without answering. */
  setMuted(muted: boolean): void {
    this.#turnTaker.setAnswering(!muted);
  }

  /** Idempotent; cancels in-flight work and frees the stages' streams. */
  close(): void {
    if (this.#closed) return;
    this.#options.logger?.info({ roomId: this.#options.roomId, ...this.stats }, 'voice pipeline closed');
    this.#closed = true;
    for (const step of [
      () => this.#replies.close(),
      () => this.#input.close(),
      () => this.#options.noiseSuppressor?.close(),
      () => this.#whisper?.close(),
      () => this.#human?.close(),
      () => this.#dialogSession.close(),
      () => this.#options.onClosed?.(),
    ]) {
      try {
        step();
      } catch (error) {
        this.#options.logger?.warn({ err: error }, 'closing a pipeline stage failed');
      }
    }
  }

  #inputFailed(stage: 'vad' | 'stt', error: unknown): void {
    const { vad, stt } = this.#options.fallbacks ?? {};
    if (stage === 'vad') {
      const takeover = vad && { load: vad, adopt: (v: Vad) => this.#input.replaceVad(v.createStream()) };
      this.#recovery.inputFailed(stage, error, takeover);
    } else {
      const takeover = stt && {
        load: stt,
        adopt: (s: Stt) => this.#input.replaceRecogniser(s.createStream()),
      };
      this.#recovery.inputFailed(stage, error, takeover);
    }
  }

  #openSideVoice(failure: string, sink: FrameProcessor): SideVoice {
    const { vad, stt, config } = this.#options;
    return new SideVoice({
      vad: vad.createStream(),
      stt: stt.createStream(),
      prefixPaddingMs: config.vad.prefixPaddingMs,
      minSilenceMs: config.vad.minSilenceMs,
      clock: this.#clock,
      onError: (error) => this.#fail(failure, error),
      sink,
    });
  }

  #emit(event: PipelineEvent): void {
    // after close the session is gone: late recogniser finals and the like have nowhere to go
    if (this.#closed) return;
    try {
      this.#options.emit(event);
    } catch (error) {
      this.#options.logger?.error({ err: error }, 'pipeline event listener threw');
    }
  }

  #callMs(clockMs: number): number {
    return round(clockMs - this.#callStartMs);
  }

  #emitTranscript(speaker: 'customer' | 'human', t: CallerTranscript): void {
    // the segment's text, and a final's confidence and other hypotheses where the recogniser gave them
    const { startAtMs, endAtMs, ...segment } = t;
    this.#emit({
      type: 'transcript',
      roomId: this.#options.roomId,
      ...segment,
      speaker,
      startMs: this.#callMs(startAtMs),
      endMs: Math.max(this.#callMs(startAtMs), this.#callMs(endAtMs)),
      interrupted: false,
    });
  }

  #reporter(): ReplyReporter {
    const roomId = this.#options.roomId;
    const agentTranscript = (
      turnId: number,
      text: string,
      final: boolean,
      interrupted: boolean,
      s: number,
      e: number,
    ) =>
      this.#emit({
        type: 'transcript',
        roomId,
        segmentId: `${this.#segmentPrefix}agent-${turnId}`,
        speaker: 'agent',
        text,
        final,
        startMs: this.#callMs(s),
        endMs: Math.max(this.#callMs(s), this.#callMs(e)),
        interrupted,
      });
    return {
      agentSpeaking: (turnId, text, startedAtMs, atMs) => {
        agentTranscript(turnId, text, false, false, startedAtMs, atMs);
        // As each sentence starts playing, so the recogniser is ready before the caller answers the question.
        const expecting = listeningFor(text);
        this.#input.expect(expecting);
        this.#turnTaker.expect(expecting);
      },
      agentTurnEnded: (turnId, text, interrupted, startedAtMs, atMs) =>
        agentTranscript(turnId, text, true, interrupted, startedAtMs, atMs),
      turnMetrics: (t: TurnTimings, interrupted) =>
        this.#emit({
          type: 'turn.metrics',
          roomId,
          turn: t.turn,
          eouMs: round(t.committedAtMs - t.speechEndAtMs),
          asrFinalMs: round(t.finalAtMs - t.speechEndAtMs),
          dialogFirstTokenMs: round((t.firstTextAtMs ?? t.dialogStartAtMs) - t.dialogStartAtMs),
          ttsFirstAudioMs: round((t.firstPcmAtMs ?? t.firstTextAtMs ?? 0) - (t.firstTextAtMs ?? 0)),
          voiceToVoiceMs: round((t.firstPlayedAtMs ?? t.speechEndAtMs) - t.speechEndAtMs),
          interrupted,
        }),
      endCall: () => this.#emit({ type: 'end_call', roomId }),
      handoff: (reason) => this.#emit({ type: 'handoff', roomId, reason }),
      callback: (phone) => this.#emit({ type: 'callback', roomId, phone }),
      stageFailed: (stage, error, apologised) => this.#recovery.replyFailed(stage, error, apologised),
    };
  }

  #fail(message: string, error: unknown): void {
    this.#options.logger?.error({ err: error, roomId: this.#options.roomId }, message);
  }
}

export function createVoicePipeline(options: VoicePipelineOptions): VoicePipeline {
  return new VoicePipeline(options);
}
