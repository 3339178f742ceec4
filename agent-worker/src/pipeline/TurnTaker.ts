import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { AgentState } from '@voiceroom/protocol';
import type { Clock } from './clock.ts';
import { FrameProcessor } from './FrameProcessor.ts';
import type { DownstreamFrame, UpstreamFrame } from './frames.ts';
import type { RepromptReason } from './OwedReply.ts';
import { TurnStateMachine } from './TurnStateMachine.ts';
import type { TurnAction, TurnInput, TurnSettings } from './turnEvents.ts';

export interface TurnTakerOptions {
  settings: TurnSettings;
  clock: Clock;
  onState(state: AgentState): void;
  /** What to say when the caller got no reply (TurnAction reprompt, and why); undefined: nothing. */
  reprompt?: (reason: RepromptReason) => string | undefined;
}

/**
 * Hosts the pure TurnStateMachine in the pipeline: feeds it VAD/STT frames from upstream and playout reports from
 * downstream, and turns its actions into frames (user turn, pause, resume, interruption).
 *
 * The machine runs on the caller's stream time (position in the gap-free caller audio), not on the wall clock:
 * its deadlines are checked as caller audio is processed. After an event-loop stall, late audio arrives in a
 * burst; measured on the wall clock a 300 ms word would look like 40 ms (a false interruption) and the endpointing
 * silence would be cut short. The wall clock only stamps the latency metrics.
 */
export class TurnTaker extends FrameProcessor {
  readonly #machine: TurnStateMachine;
  readonly #clock: Clock;
  readonly #onState: (state: AgentState) => void;
  readonly #reprompt: ((reason: RepromptReason) => string | undefined) | undefined;
  #streamNowMs = 0;
  /** Clock times of the latest end of caller speech and final transcript, for the turn's metrics. */
  #speechEndAtMs = 0;
  #finalAtMs = 0;
  /** While taken over by a human, caller turns are recorded but not answered. */
  #answering = true;
  /** The finals with words since the last committed turn. */
  #finals: { text: string; confidence?: number; alternatives?: string[] }[] = [];

  constructor(options: TurnTakerOptions) {
    super();
    this.#machine = new TurnStateMachine(options.settings);
    this.#clock = options.clock;
    this.#onState = options.onState;
    this.#reprompt = options.reprompt;
  }

  get machine(): TurnStateMachine {
    return this.#machine;
  }

  /** Makes the agent say `text` now (greeting), as an agent turn the caller can interrupt. */
  speak(text: string): void {
    // the turn reaches the output first, so a pause decided for it applies to it
    this.pushDown({ kind: 'speak', text });
    this.#feed({ type: 'agent_turn_started', atMs: this.#streamNowMs });
  }

  /** The agent's question asks for `slot` (told as it plays): the end of the answer is judged against it. */
  expect(slot: SttExpectation): void {
    this.#feed({ type: 'agent_asked', expecting: slot, atMs: this.#streamNowMs });
  }

  setAnswering(answering: boolean): void {
    this.#answering = answering;
    // The output ends the cancelled turn and reports it upstream, which returns the machine to listening.
    if (!answering) this.pushDown({ kind: 'interruption' });
  }

  processDown(frame: DownstreamFrame): void {
    switch (frame.kind) {
      case 'caller_audio_processed':
        this.#advance(frame.streamMs);
        this.#feed({
          type: 'tick',
          atMs: this.#streamNowMs,
          speechOnset: frame.speechOnset ?? false,
          foregroundStartMs: frame.foregroundStartMs,
          foregroundEndMs: frame.foregroundEndMs,
          foregroundTrailEndMs: frame.foregroundTrailEndMs,
        });
        return;
      case 'user_started_speaking':
        this.pushDown(frame);
        this.#advance(frame.streamMs);
        this.#feed({ type: 'user_speech_start', atMs: frame.streamMs });
        return;
      case 'user_stopped_speaking':
        this.pushDown(frame);
        this.#speechEndAtMs = frame.atMs;
        this.#feed({ type: 'user_speech_end', atMs: frame.streamMs });
        return;
      case 'transcription':
        this.pushDown(frame);
        this.#advance(frame.streamMs);
        if (frame.final) this.#finalAtMs = frame.atMs;
        if (frame.final && frame.text.trim()) {
          const { confidence, alternatives } = frame;
          this.#finals.push({ text: frame.text.trim(), confidence, alternatives });
        }
        this.#feed({
          type: 'user_transcript',
          text: frame.text,
          final: frame.final,
          atMs: this.#streamNowMs,
          ...(frame.final && frame.alternatives ? { alternatives: frame.alternatives } : {}),
          ...(frame.final && frame.overAgent ? { overAgent: frame.overAgent } : {}),
        });
        return;
      default:
        this.pushDown(frame);
    }
  }

  override processUp(frame: UpstreamFrame): void {
    if (frame.kind === 'bot_started_speaking')
      this.#feed({ type: 'agent_audio_started', atMs: this.#streamNowMs });
    if (frame.kind === 'bot_turn_ended') this.#feed({ type: 'agent_turn_ended', atMs: this.#streamNowMs });
    this.pushUp(frame);
  }

  /** What the recogniser said about the turn's text: the weakest final's confidence, the n-best of a lone final. */
  #recognition(text: string): { confidence?: number; alternatives?: string[] } {
    const finals = this.#finals;
    this.#finals = [];
    const scores = finals.flatMap((f) => (f.confidence === undefined ? [] : [f.confidence]));
    const only = finals.length === 1 && finals[0]?.text === text.trim() ? finals[0] : undefined;
    return {
      ...(scores.length > 0 ? { confidence: Math.min(...scores) } : {}),
      ...(only?.alternatives ? { alternatives: only.alternatives } : {}),
    };
  }

  #advance(streamMs: number): void {
    this.#streamNowMs = Math.max(this.#streamNowMs, streamMs);
  }

  #feed(input: TurnInput): void {
    for (const action of this.#machine.handle(input)) this.#apply(action);
  }

  #apply(action: TurnAction): void {
    switch (action.type) {
      case 'state':
        this.#onState(action.state);
        break;
      case 'pause_output':
        this.pushDown({ kind: 'pause_output' });
        break;
      case 'resume_output':
        this.pushDown({ kind: 'resume_output' });
        break;
      case 'interrupt':
        this.pushDown({ kind: 'interruption' });
        break;
      case 'end_caller_speech':
        this.pushUp({ kind: 'end_caller_speech' });
        break;
      case 'commit_user_turn':
        this.pushDown({
          kind: 'user_turn',
          text: action.text,
          speechEndAtMs: this.#speechEndAtMs,
          finalAtMs: Math.max(this.#finalAtMs, this.#speechEndAtMs),
          atMs: this.#clock.now(),
          answer: this.#answering,
          ...this.#recognition(action.text),
        });
        if (this.#answering) this.#feed({ type: 'agent_turn_started', atMs: this.#streamNowMs });
        break;
      case 'reprompt': {
        const text = this.#answering ? this.#reprompt?.(action.reason) : undefined;
        if (text) this.speak(text);
        break;
      }
    }
  }
}
