import type { AgentState } from '@voiceroom/sdk/protocol';
import type { Clock } from './clock.ts';
import { FrameProcessor } from './frameProcessor.ts';
import type { DownstreamFrame, UpstreamFrame } from './frames.ts';
import { type TurnAction, type TurnInput, type TurnSettings, TurnStateMachine } from './turnStateMachine.ts';

export interface TurnTakerOptions {
  settings: TurnSettings;
  clock: Clock;
  onState(state: AgentState): void;
}

/**
 * Hosts the pure TurnStateMachine in the pipeline: feeds it VAD/STT frames from upstream and playout reports from
 * downstream, runs its deadlines on the clock, and turns its actions into frames (user turn, pause, resume,
 * interruption).
 */
export class TurnTaker extends FrameProcessor {
  readonly #machine: TurnStateMachine;
  readonly #clock: Clock;
  readonly #onState: (state: AgentState) => void;
  #cancelTimer: (() => void) | undefined;
  #timerAtMs: number | undefined;
  /** While taken over by a human, caller turns are recorded but not answered. */
  #answering = true;

  constructor(options: TurnTakerOptions) {
    super();
    this.#machine = new TurnStateMachine(options.settings);
    this.#clock = options.clock;
    this.#onState = options.onState;
  }

  get machine(): TurnStateMachine {
    return this.#machine;
  }

  /** Makes the agent say `text` now (greeting), as an agent turn the caller can interrupt. */
  speak(text: string): void {
    // the turn reaches the output first, so a pause decided for it applies to it
    this.pushDown({ kind: 'speak', text });
    this.#feed({ type: 'agent_turn_started', atMs: this.#clock.now() });
  }

  setAnswering(answering: boolean): void {
    this.#answering = answering;
    // The output ends the cancelled turn and reports it upstream, which returns the machine to listening.
    if (!answering) this.pushDown({ kind: 'interruption' });
  }

  processDown(frame: DownstreamFrame): void {
    switch (frame.kind) {
      case 'user_started_speaking':
        this.pushDown(frame);
        this.#feed({ type: 'user_speech_start', atMs: frame.atMs });
        break;
      case 'user_stopped_speaking':
        this.pushDown(frame);
        this.#feed({ type: 'user_speech_end', atMs: frame.atMs });
        break;
      case 'transcription':
        this.pushDown(frame);
        this.#feed({ type: 'user_transcript', text: frame.text, final: frame.final, atMs: frame.atMs });
        break;
      default:
        this.pushDown(frame);
    }
  }

  override processUp(frame: UpstreamFrame): void {
    if (frame.kind === 'bot_started_speaking') this.#feed({ type: 'agent_audio_started', atMs: frame.atMs });
    if (frame.kind === 'bot_turn_ended') this.#feed({ type: 'agent_turn_ended', atMs: frame.atMs });
    this.pushUp(frame);
  }

  close(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #feed(input: TurnInput): void {
    this.#apply(this.#machine.handle(input));
    this.#schedule();
  }

  #apply(actions: TurnAction[]): void {
    for (const action of actions) {
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
        case 'commit_user_turn':
          this.pushDown({
            kind: 'user_turn',
            text: action.text,
            speechEndAtMs: action.speechEndAtMs,
            finalAtMs: action.finalAtMs,
            atMs: this.#clock.now(),
            answer: this.#answering,
          });
          if (this.#answering) this.#feed({ type: 'agent_turn_started', atMs: this.#clock.now() });
          break;
      }
    }
  }

  #schedule(): void {
    const deadline = this.#machine.nextDeadlineMs;
    if (deadline === this.#timerAtMs) return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAtMs = deadline;
    if (deadline === undefined) return;
    this.#cancelTimer = this.#clock.setTimer(deadline - this.#clock.now(), () => {
      this.#cancelTimer = undefined;
      this.#timerAtMs = undefined;
      this.#feed({ type: 'tick', atMs: this.#clock.now() });
    });
  }
}
