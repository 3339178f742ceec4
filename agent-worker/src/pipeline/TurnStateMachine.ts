import { spokenWords } from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { AgentState } from '@voiceroom/protocol';
import { OnsetHold } from './OnsetHold.ts';
import { OwedReply } from './OwedReply.ts';
import { classifyOverlap, isBareStop, type Overlap } from './overlap.ts';
import { PendingTurn } from './PendingTurn.ts';
import { RoomHeldAnswer } from './RoomHeldAnswer.ts';
import { RoomHeldSpeech } from './RoomHeldSpeech.ts';
import {
  DEFAULT_BACKCHANNEL_MAX_MS,
  type TurnAction,
  type TurnInput,
  type TurnSettings,
} from './turnEvents.ts';

/** How long after the end of speech the recogniser's final usually comes (bench:robustness: ~300 ms, p50). */
const PROMPT_FINAL_MS = 300;

/**
 * Turn-taking and barge-in as a pure state machine: inputs carry their time, outputs are actions, and
 * `nextDeadlineMs` says when the next decision falls due (the host ticks it as caller audio arrives). No timers or
 * I/O inside.
 *
 * Caller speech while the agent holds the floor first PAUSES the output (the agent goes quiet within a frame). The
 * pause becomes an interruption when the speech lasts `minInterruptionMs`, reaches `minInterruptionWords` words, has
 * a stop word ("wait", "no", "stop"), or its final has words; otherwise the output resumes (a false interruption).
 * A backchannel over the agent's audible reply ("yeah", "uh huh", "okay") is no barge-in: a backchannel final, speech
 * shorter than backchannelMaxMs whatever its words (the recogniser makes "mm hmm" into other words), or the room's
 * voices holding open a caller voice that short with no stop word heard anywhere in it (RoomHeldSpeech). A bare stop
 * word in such a short line waits for its final, judged with the over-agent grammar (judgeOverAgent), since the
 * recogniser hears "okay" as "no" too. Once the speech has ended its final decides, even one that comes after the
 * output resumed for want of it: the verdict does not hang on the recogniser's lag. Speech with no words yet keeps the output paused until its first words decide.
 */
export class TurnStateMachine {
  readonly #settings: TurnSettings;
  #state: AgentState = 'idle';
  #agentActive = false;
  #stateBeforePause: AgentState = 'thinking';
  #userSpeaking = false;
  #speechStartAtMs = 0;
  #speechEndAtMs = 0;
  #awaitingFinal = false;
  #finalAtMs = 0;
  readonly #pending: PendingTurn;
  /** The recogniser's latest partial since its last final: it may still have a trailing "and" the final dropped. */
  #lastPartial: string | undefined;
  /** The caller's current speech began while the agent held the floor; what its transcript so far is. */
  #overAgent = false;
  #overlap: Overlap = 'none';
  /** The caller's voice and what the recogniser heard of stop words in their speech, and the room's voices around. */
  readonly #speech = new RoomHeldSpeech();
  readonly #roomHeld: RoomHeldAnswer;
  /** The caller's speech over the agent has lasted long enough to be a barge-in, if its words are not a backchannel. */
  #durationMet = false;
  /**
   * The output resumed with no final for the caller's speech in time (#onNoFinal): a stop request in its late final
   * still interrupts, so the verdict does not hang on how far the recogniser lags.
   */
  #resumedBeforeFinal = false;
  #expecting: SttExpectation | undefined;
  /**
   * The VAD hears the caller go on but has not confirmed it yet (it takes minSpeechMs): the turn does not end
   * meanwhile, or a pause a little longer than the VAD's minimum silence was answered before the caller's next words
   * were confirmed as speech.
   */
  #speechOnset = false;
  readonly #onsetHold = new OnsetHold();
  #interruptDeadlineMs: number | undefined;
  #resumeDeadlineMs: number | undefined;
  readonly #owed: OwedReply;
  /**
   * What was taken for a backchannel over the agent's yes/no question as it played ("correct", "okay", a short "yes
   * please"): the output went on, and once the question has been heard out it is the caller's answer.
   */
  #answerOverQuestion: string | undefined;

  constructor(settings: TurnSettings) {
    this.#settings = settings;
    this.#owed = new OwedReply(settings);
    this.#pending = new PendingTurn(settings);
    this.#roomHeld = new RoomHeldAnswer(this.#speech.voice, settings.vadHangoverMs, settings);
  }

  get state(): AgentState {
    return this.#state;
  }

  /** Caller text recognised but not yet answered. */
  get pendingText(): string {
    return this.#pending.text;
  }

  get nextDeadlineMs(): number | undefined {
    const deadlines = [
      this.#interruptDeadlineMs,
      this.#resumeDeadlineMs,
      this.#endpointDeadlineMs(),
      this.#repromptDeadlineMs(),
    ].filter((d): d is number => d !== undefined);
    return deadlines.length === 0 ? undefined : Math.min(...deadlines);
  }

  handle(input: TurnInput): TurnAction[] {
    const actions: TurnAction[] = [];
    switch (input.type) {
      case 'user_speech_start':
        this.#onSpeechStart(input.atMs, actions);
        break;
      case 'user_speech_end':
        this.#onSpeechEnd(input.atMs);
        break;
      case 'user_transcript':
        this.#onTranscript(input, actions);
        break;
      case 'agent_turn_started':
        this.#agentActive = true;
        this.#owed.agentTurnStarted();
        this.#answerOverQuestion = undefined;
        this.#onsetHold.release();
        this.#clearPause();
        if (this.#userSpeaking) this.#startPause(actions);
        else this.#setState('thinking', actions);
        break;
      case 'agent_audio_started':
        this.#owed.agentAudioStarted();
        if (this.#state === 'thinking') this.#setState('speaking', actions);
        else if (this.#state === 'paused') this.#stateBeforePause = 'speaking';
        break;
      case 'agent_turn_ended':
        if (this.#agentActive) {
          this.#agentActive = false;
          this.#clearPause();
          this.#setState('listening', actions);
          this.#owed.agentTurnEnded(input.atMs, this.#expecting !== undefined && this.#expecting !== 'open');
          if (this.#answerOverQuestion)
            this.#pending.add(this.#answerOverQuestion, undefined, this.#expecting);
          this.#answerOverQuestion = undefined;
        }
        break;
      case 'agent_asked':
        this.#expecting = input.expecting;
        break;
      case 'tick':
        this.#speechOnset = input.speechOnset ?? false;
        this.#onsetHold.tick(this.#speechOnset, this.#agentActive && this.#state === 'speaking', actions);
        if (this.#userSpeaking) this.#onForeground(input, actions);
        break;
    }
    this.#checkDeadlines(input.atMs, actions);
    return actions;
  }

  #onSpeechStart(atMs: number, actions: TurnAction[]): void {
    this.#userSpeaking = true;
    this.#onsetHold.release();
    this.#owed.callerStarted();
    this.#speechStartAtMs = atMs;
    this.#overAgent = this.#agentActive;
    this.#speech.started(atMs, this.#agentActive && this.#state === 'speaking');
    this.#roomHeld.started(this.#overAgent);
    this.#overlap = 'none';
    this.#durationMet = false;
    this.#resumedBeforeFinal = false;
    if (this.#agentActive) this.#startPause(actions);
  }

  /**
   * Background voices started the speech before the caller's own and may hold it open after: the duration rule goes
   * by the caller's voice while the speech goes on, so partial guesses at a short "yeah" and the room do not decide
   * it. The final still judges the whole speech: a short "stop" in babble is misheard as other words too.
   */
  #onForeground(tick: Extract<TurnInput, { type: 'tick' }>, actions: TurnAction[]): void {
    const { foregroundStartMs: startMs, foregroundEndMs: endMs, foregroundTrailEndMs: trailEndMs } = tick;
    const later = this.#speech.voice.foreground(startMs, endMs, trailEndMs);
    if (later && this.#interruptDeadlineMs !== undefined && !this.#durationMet)
      this.#interruptDeadlineMs = this.#durationDeadlineMs();
    if (!this.#agentActive && this.#roomHeld.due(tick.atMs, this.#pending.text, this.#expecting))
      actions.push({ type: 'end_caller_speech' });
  }

  #startPause(actions: TurnAction[]): void {
    if (this.#state !== 'paused') {
      this.#stateBeforePause = this.#state === 'speaking' ? 'speaking' : 'thinking';
      actions.push({ type: 'pause_output' });
      this.#setState('paused', actions);
    }
    this.#interruptDeadlineMs = this.#durationDeadlineMs();
    this.#resumeDeadlineMs = undefined;
  }

  /** When the caller's speech, if still going, has lasted long enough for a barge-in. */
  #durationDeadlineMs(): number {
    return this.#speech.voice.startAtMs + this.#bargeInMs() + this.#settings.vadHangoverMs;
  }

  #onSpeechEnd(atMs: number): void {
    if (!this.#userSpeaking) return;
    this.#userSpeaking = false;
    this.#speechEndAtMs = atMs;
    this.#awaitingFinal = true;
    if (!this.#agentActive) this.#oweIfSpoke();
    if (this.#state !== 'paused') return;
    // The output is paused already, so waiting for the final costs the caller nothing, and the final often differs
    // from the partials before it ("can i get" -> "uh huh", words -> nothing): it decides. Without one in time, the
    // last partial does (#onNoFinal).
    this.#interruptDeadlineMs = undefined;
    this.#resumeDeadlineMs =
      (this.#longSpeech() ? atMs : this.#speechStartAtMs) + this.#settings.falseInterruptionTimeoutMs;
    this.#hurryDeferredStop();
  }

  #onTranscript(input: Extract<TurnInput, { type: 'user_transcript' }>, actions: TurnAction[]): void {
    const { text, final, atMs } = input;
    // what the words alone are, classified once for all that judges them
    const textOverlap = classifyOverlap(text);
    const overlap = this.#speech.judge(input, this.#speechEnd(atMs), this.#bargeInMs(), textOverlap);
    const words = spokenWords(text).length;
    const wordRule = this.#settings.minInterruptionWords > 0 && words >= this.#settings.minInterruptionWords;
    const backchannel =
      this.#overAgent &&
      (overlap === 'backchannel' ||
        (overlap === 'speech' &&
          !wordRule &&
          (this.#shortOverSpeech(atMs) || this.#backchannelInRoom(atMs))));
    const bargeIn = overlap === 'stop' || (!backchannel && (wordRule || words > 0));
    if (final && this.#resumedBeforeFinal && this.#agentActive && bargeIn) this.#interrupt(actions);
    else if (this.#state === 'paused') {
      // a bare stop word in a short line over the reply waits for the final: the recogniser hears "okay" as "no" too
      const stop =
        overlap === 'stop' && (final || !isBareStop(text, textOverlap) || !this.#shortOverSpeech(atMs));
      if (overlap === 'stop' && !stop) this.#speech.stops.defer();
      this.#hurryDeferredStop();
      if (stop || (!backchannel && (wordRule || (final && words > 0)))) this.#interrupt(actions);
      else if (final && !this.#userSpeaking) this.#resume(actions);
      // Past the duration rule only because it was a backchannel (or nothing) so far: other words now are a barge-in
      // once the speech is still going a VAD hangover later. Speech that had already ended (the VAD reports it that
      // late) was the backchannel, and its tail noise or the recogniser's guess at it: its final decides.
      else if (this.#durationMet && this.#userSpeaking && overlap === 'speech')
        this.#interruptDeadlineMs = Math.min(
          this.#interruptDeadlineMs ?? Number.POSITIVE_INFINITY,
          atMs + this.#settings.vadHangoverMs,
        );
    }
    this.#overlap = overlap;
    if (!final) {
      if (words > 0) this.#lastPartial = text;
      this.#roomHeld.heard(text, atMs);
      return;
    }
    this.#awaitingFinal = false;
    this.#resumedBeforeFinal = false;
    this.#finalAtMs = atMs;
    this.#roomHeld.heardFinal(text);
    const lastPartial = this.#lastPartial;
    this.#lastPartial = undefined;
    if (words > 0 && !backchannel) this.#pending.add(text, lastPartial, this.#expecting);
    else if (backchannel && words > 0 && this.#expecting === 'yesno') {
      // an answer over the question waits for it to be heard out; one whose reply ended before its final is due now
      if (this.#agentActive) this.#answerOverQuestion = text.trim();
      else this.#pending.add(text, lastPartial, this.#expecting);
    }
  }

  /**
   * A stop word the partials heard, waiting for its final, waits only as long as a prompt final takes once the speech
   * has ended: a lagging recogniser (its finals seconds late under load) kept the agent talking over "stop" until the
   * false-interruption timeout (bench:overlap seed 2: cancelled p50 1,280 ms after the stop word began).
   */
  #hurryDeferredStop(): void {
    if (!this.#speech.stops.deferred || this.#userSpeaking || this.#resumeDeadlineMs === undefined) return;
    const due = this.#speechEndAtMs + this.#settings.vadHangoverMs + PROMPT_FINAL_MS;
    this.#resumeDeadlineMs = Math.min(this.#resumeDeadlineMs, due);
  }

  /** How long non-stop speech over the agent lasts before it is a barge-in rather than a backchannel. */
  #bargeInMs(): number {
    if (!this.#speech.overAudio) return this.#settings.minInterruptionMs;
    return Math.max(
      this.#settings.minInterruptionMs,
      (this.#settings.backchannelMaxMs ?? DEFAULT_BACKCHANNEL_MAX_MS) + this.#settings.vadPrefixMs,
    );
  }

  /** The caller's speech over the agent ended having lasted long enough for a barge-in. */
  #longSpeech(): boolean {
    return this.#speechEndAtMs - this.#speechStartAtMs >= this.#bargeInMs();
  }

  /** The caller's speech over the agent's audible reply ended (or is still) shorter than a sentence. */
  #shortOverSpeech(nowMs: number): boolean {
    return this.#speech.overAudio && this.#speechEnd(nowMs) - this.#speechStartAtMs < this.#bargeInMs();
  }

  /** The caller's speech ended then, or goes on now. */
  #speechEnd(nowMs: number): number {
    return this.#userSpeaking ? nowMs : this.#speechEndAtMs;
  }

  /** The room's voices held the speech open around a caller voice as short as a backchannel (RoomHeldSpeech). */
  #backchannelInRoom(nowMs: number): boolean {
    return this.#speech.backchannel(this.#speechEnd(nowMs), this.#bargeInMs());
  }

  /**
   * The paused speech ended with no final in time: long speech with words is a barge-in, anything else not. Speech the
   * room held open around a short caller voice waits longer for its final (its partials are mostly the room's words).
   */
  #onNoFinal(nowMs: number, actions: TurnAction[]): void {
    const lateFinalMs = this.#speechEndAtMs + 2 * this.#settings.falseInterruptionTimeoutMs;
    const shortVoice = this.#speech.shortVoice(this.#speechEndAtMs, this.#bargeInMs());
    if (this.#awaitingFinal && nowMs < lateFinalMs && shortVoice) {
      this.#resumeDeadlineMs = lateFinalMs;
      return;
    }
    const words = this.#speech.stops.inBest || (this.#longSpeech() && this.#overlap === 'speech');
    if (words && !this.#backchannelInRoom(nowMs)) this.#interrupt(actions);
    else {
      this.#resumedBeforeFinal = this.#awaitingFinal;
      this.#resume(actions);
    }
  }

  /** The caller's latest speech, once ended, lasted long enough for a barge-in: it is owed a reply (OwedReply). */
  #oweIfSpoke(): void {
    const spokeMs = this.#speechEndAtMs - this.#speechStartAtMs - this.#settings.vadPrefixMs;
    if (spokeMs >= this.#settings.minInterruptionMs) this.#owed.callerSpoke(this.#speechEndAtMs);
  }

  #interrupt(actions: TurnAction[]): void {
    this.#clearPause();
    this.#answerOverQuestion = undefined;
    this.#agentActive = false;
    // speech that had ended before it was judged a barge-in: a final with nothing to answer leaves a reply owed
    if (!this.#userSpeaking) this.#oweIfSpoke();
    actions.push({ type: 'interrupt' });
    this.#setState('listening', actions);
  }

  #resume(actions: TurnAction[]): void {
    this.#clearPause();
    actions.push({ type: 'resume_output' });
    this.#setState(this.#stateBeforePause, actions);
  }

  #clearPause(): void {
    this.#interruptDeadlineMs = undefined;
    this.#resumeDeadlineMs = undefined;
  }

  /** Nobody holds the floor: the agent is not on, the caller neither speaks nor is about to. */
  get #floorFree(): boolean {
    return !this.#agentActive && !this.#userSpeaking && !this.#speechOnset;
  }

  #endpointDeadlineMs(): number | undefined {
    if (!this.#floorFree || this.#awaitingFinal || this.#pending.text === '') return undefined;
    return this.#speech.voice.waitFrom(this.#speechEndAtMs) + this.#roomHeld.waitMs(this.#pending.delayMs);
  }

  /** The agent owes the caller a word (OwedReply), judged while nobody holds the floor and no turn is pending. */
  #repromptDeadlineMs(): number | undefined {
    if (!this.#floorFree || this.#pending.text !== '') return undefined;
    return this.#owed.deadlineMs(this.#awaitingFinal);
  }

  #checkDeadlines(nowMs: number, actions: TurnAction[]): void {
    if (this.#interruptDeadlineMs !== undefined && nowMs >= this.#interruptDeadlineMs && this.#userSpeaking) {
      this.#durationMet = true;
      const wordless = this.#speechStartAtMs + this.#settings.falseInterruptionTimeoutMs;
      if (this.#overlap === 'backchannel' || this.#speech.voice.endedBy(nowMs, this.#settings.vadHangoverMs))
        this.#interruptDeadlineMs = undefined;
      else if (this.#overlap === 'none' && nowMs < wordless) this.#interruptDeadlineMs = wordless;
      else this.#interrupt(actions);
    }
    if (this.#resumeDeadlineMs !== undefined && nowMs >= this.#resumeDeadlineMs)
      this.#onNoFinal(nowMs, actions);
    const endpoint = this.#endpointDeadlineMs();
    if (endpoint !== undefined && nowMs >= endpoint) {
      actions.push({
        type: 'commit_user_turn',
        text: this.#pending.take(),
        speechEndAtMs: this.#speechEndAtMs,
        finalAtMs: this.#finalAtMs,
      });
      // its answer is the reply owed (a late final's turn is due at once, with the reprompt's wait run out too)
      return;
    }
    const reprompt = this.#repromptDeadlineMs();
    if (reprompt !== undefined && nowMs >= reprompt) {
      actions.push({ type: 'reprompt', reason: this.#owed.reprompted() });
    }
  }

  #setState(state: AgentState, actions: TurnAction[]): void {
    if (this.#state === state) return;
    this.#state = state;
    actions.push({ type: 'state', state });
  }
}
