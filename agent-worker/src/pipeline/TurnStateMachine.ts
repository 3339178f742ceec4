import { spokenWords } from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { AgentState } from '@voiceroom/protocol';
import { CallerVoice } from './CallerVoice.ts';
import { endpointingDelayMs, judgedText } from './endpointing.ts';
import { OwedReply } from './OwedReply.ts';
import { classifyOverlap, isWordedBackchannel, type Overlap } from './overlap.ts';
import {
  DEFAULT_BACKCHANNEL_MAX_MS,
  type TurnAction,
  type TurnInput,
  type TurnSettings,
} from './turnEvents.ts';

const MAX_PENDING_CHARS = 10_000;

/**
 * Two recognised parts of one caller turn, with the caller's pause between them kept as a comma: the NLU reads a
 * pause there ("w i l l i a m, r o g e r s" is a first and a last name; joined with a space, one name).
 */
function joinPause(before: string, after: string): string {
  return before === '' ? after : `${before}, ${after}`;
}

/**
 * Turn-taking and barge-in as a pure state machine: inputs carry their time, outputs are actions, and
 * `nextDeadlineMs` says when the next decision falls due (the host ticks it as caller audio arrives). No timers or
 * I/O inside.
 *
 * While the agent holds the floor (thinking or speaking), caller speech first PAUSES the output (so the agent goes
 * quiet within a frame); the pause becomes a real interruption when the speech lasts `minInterruptionMs`, or
 * reaches `minInterruptionWords` recognised words, or its final transcript has words. A pause whose speech ends
 * without words is a false interruption: the output resumes when the empty final arrives or
 * `falseInterruptionTimeoutMs` after the pause, whichever comes first.
 *
 * A backchannel over the agent ("yeah", "uh huh", "okay") is not a barge-in either: while the transcript so far is
 * only backchannel words, the duration rule waits for the final, and a backchannel final resumes the output and is
 * not a caller turn; other words after that interrupt if the speech is still going a VAD hangover later. Once the
 * speech has ended, its final decides, not the partials before it. "Wait", "no", "stop" interrupt as soon as a
 * partial has them. Over audible agent speech, speech that ends within backchannelMaxMs is a backchannel too
 * whatever its words (the recogniser often makes "mm hmm" into other words); the output stays paused meanwhile, so
 * a real barge-in is still heard to stop at once.
 * Nor does the duration rule decide while nothing is recognised yet (the recogniser lags the VAD, most under load):
 * the output stays paused, so the caller hears the agent stop either way, and the first words decide; speech with
 * no words for falseInterruptionTimeoutMs is a barge-in after all.
 */
export class TurnStateMachine {
  readonly #settings: TurnSettings;
  #state: AgentState = 'idle';
  #agentActive = false;
  #stateBeforePause: AgentState = 'thinking';
  #userSpeaking = false;
  #speechStartAtMs = 0;
  readonly #voice = new CallerVoice();
  #speechEndAtMs = 0;
  #awaitingFinal = false;
  #finalAtMs = 0;
  #pendingText = '';
  /** The recogniser's latest partial since its last final: it may still have a trailing "and" the final dropped. */
  #lastPartial: string | undefined;
  /** How long to wait after speech for the pending text (see endpointing.ts), judged when a final adds to it. */
  #endpointingDelayMs = 0;
  /** The caller's current speech began while the agent held the floor; what its transcript so far is. */
  #overAgent = false;
  /** ...and the caller could hear the agent then (its audio had started): a backchannel can only answer that. */
  #overAudio = false;
  #overlap: Overlap = 'none';
  /** What the recogniser made of the current speech, any partial or hypothesis: a worded backchannel, a stop word. */
  #heardBackchannel = false;
  #heardStop = false;
  /** The caller's speech over the agent has lasted long enough to be a barge-in, if its words are not a backchannel. */
  #durationMet = false;
  #expecting: SttExpectation | undefined;
  /**
   * The VAD hears the caller go on but has not confirmed it yet (it takes minSpeechMs): the turn does not end
   * meanwhile, or a pause a little longer than the VAD's minimum silence was answered before the caller's next words
   * were confirmed as speech.
   */
  #speechOnset = false;
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
  }

  get state(): AgentState {
    return this.#state;
  }

  get userSpeaking(): boolean {
    return this.#userSpeaking;
  }

  /** Caller text recognised but not yet answered. */
  get pendingText(): string {
    return this.#pendingText;
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
        this.#noteHeard([input.text, ...(input.alternatives ?? [])]);
        this.#onTranscript(input.text, input.final, input.atMs, actions);
        break;
      case 'agent_turn_started':
        this.#agentActive = true;
        this.#owed.agentTurnStarted();
        this.#answerOverQuestion = undefined;
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
          if (this.#answerOverQuestion) this.#addPending(this.#answerOverQuestion, undefined);
          this.#answerOverQuestion = undefined;
        }
        break;
      case 'agent_asked':
        this.#expecting = input.expecting;
        break;
      case 'tick':
        this.#speechOnset = input.speechOnset ?? false;
        if (this.#userSpeaking) this.#onForeground(input.foregroundStartMs, input.foregroundEndMs);
        break;
    }
    this.#checkDeadlines(input.atMs, actions);
    return actions;
  }

  #onSpeechStart(atMs: number, actions: TurnAction[]): void {
    this.#userSpeaking = true;
    this.#owed.callerStarted();
    this.#speechStartAtMs = atMs;
    this.#voice.speechStarted(atMs);
    this.#overAgent = this.#agentActive;
    this.#overAudio = this.#agentActive && this.#state === 'speaking';
    this.#overlap = 'none';
    this.#heardBackchannel = false;
    this.#heardStop = false;
    this.#durationMet = false;
    if (this.#agentActive) this.#startPause(actions);
  }

  /**
   * Background voices started the speech before the caller's own and may hold it open after: the duration rule goes
   * by the caller's voice while the speech goes on, so partial guesses at a short "yeah" and the room do not decide
   * it. The final still judges the whole speech: a short "stop" in babble is misheard as other words too.
   */
  #onForeground(startMs: number | undefined, endMs: number | undefined): void {
    if (
      this.#voice.foreground(startMs, endMs) &&
      this.#interruptDeadlineMs !== undefined &&
      !this.#durationMet
    )
      this.#interruptDeadlineMs = this.#durationDeadlineMs();
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
    return this.#voice.startAtMs + this.#bargeInMs() + this.#settings.vadHangoverMs;
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
  }

  #onTranscript(text: string, final: boolean, atMs: number, actions: TurnAction[]): void {
    const words = spokenWords(text).length;
    const overlap = classifyOverlap(text);
    const wordRule = this.#settings.minInterruptionWords > 0 && words >= this.#settings.minInterruptionWords;
    const backchannel =
      this.#overAgent &&
      (overlap === 'backchannel' ||
        (overlap === 'speech' &&
          !wordRule &&
          (this.#shortOverSpeech(atMs) || this.#backchannelInRoom(atMs))));
    if (this.#state === 'paused') {
      if (overlap === 'stop' || (!backchannel && (wordRule || (final && words > 0))))
        this.#interrupt(actions);
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
      return;
    }
    this.#awaitingFinal = false;
    this.#finalAtMs = atMs;
    const lastPartial = this.#lastPartial;
    this.#lastPartial = undefined;
    if (words > 0 && !backchannel) this.#addPending(text, lastPartial);
    else if (backchannel && words > 0 && this.#expecting === 'yesno') {
      // an answer over the question waits for it to be heard out; one whose reply ended before its final is due now
      if (this.#agentActive) this.#answerOverQuestion = text.trim();
      else this.#addPending(text, lastPartial);
    }
  }

  #addPending(text: string, lastPartial: string | undefined): void {
    this.#pendingText = joinPause(this.#pendingText, text.trim()).slice(-MAX_PENDING_CHARS);
    this.#endpointingDelayMs = endpointingDelayMs(
      judgedText(this.#pendingText, lastPartial),
      this.#settings,
      this.#expecting,
    );
  }

  /** How long non-stop speech over the agent lasts before it is a barge-in rather than a backchannel. */
  #bargeInMs(): number {
    if (!this.#overAudio) return this.#settings.minInterruptionMs;
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
    const end = this.#userSpeaking ? nowMs : this.#speechEndAtMs;
    return this.#overAudio && end - this.#speechStartAtMs < this.#bargeInMs();
  }

  #noteHeard(hypotheses: readonly string[]): void {
    this.#heardBackchannel ||= hypotheses.some(isWordedBackchannel);
    this.#heardStop ||= hypotheses.some((text) => classifyOverlap(text) === 'stop');
  }

  /**
   * The room's voices held the speech open around a short caller voice (#shortVoiceInRoom) and filled it with their
   * words, and a partial or hypothesis was a backchannel, none a stop word: the caller's "okay", the room's "a couple".
   */
  #backchannelInRoom(nowMs: number): boolean {
    return this.#heardBackchannel && !this.#heardStop && this.#shortVoiceInRoom(nowMs);
  }

  /** Over the agent's audible reply, the caller's own voice in the speech was shorter than a sentence (CallerVoice). */
  #shortVoiceInRoom(nowMs: number): boolean {
    const speechEnd = this.#userSpeaking ? nowMs : this.#speechEndAtMs;
    return this.#overAudio && this.#voice.shortIn(speechEnd, this.#bargeInMs());
  }

  /**
   * The paused speech ended with no final in time: long speech with words is a barge-in, anything else not. Speech the
   * room held open around a short caller voice waits longer for its final (its partials are mostly the room's words).
   */
  #onNoFinal(nowMs: number, actions: TurnAction[]): void {
    const lateFinalMs = this.#speechEndAtMs + 2 * this.#settings.falseInterruptionTimeoutMs;
    if (this.#awaitingFinal && nowMs < lateFinalMs && this.#shortVoiceInRoom(this.#speechEndAtMs)) {
      this.#resumeDeadlineMs = lateFinalMs;
      return;
    }
    if (this.#longSpeech() && this.#overlap === 'speech' && !this.#backchannelInRoom(nowMs))
      this.#interrupt(actions);
    else this.#resume(actions);
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

  #endpointDeadlineMs(): number | undefined {
    if (
      this.#agentActive ||
      this.#userSpeaking ||
      this.#speechOnset ||
      this.#awaitingFinal ||
      this.#pendingText === ''
    )
      return undefined;
    return this.#speechEndAtMs + this.#endpointingDelayMs;
  }

  /** The agent owes the caller a word (OwedReply), judged while nobody holds the floor and no turn is pending. */
  #repromptDeadlineMs(): number | undefined {
    if (this.#agentActive || this.#userSpeaking || this.#speechOnset || this.#pendingText !== '')
      return undefined;
    return this.#owed.deadlineMs(this.#awaitingFinal);
  }

  #checkDeadlines(nowMs: number, actions: TurnAction[]): void {
    if (this.#interruptDeadlineMs !== undefined && nowMs >= this.#interruptDeadlineMs && this.#userSpeaking) {
      this.#durationMet = true;
      const wordless = this.#speechStartAtMs + this.#settings.falseInterruptionTimeoutMs;
      if (this.#overlap === 'backchannel' || this.#voice.endedBy(nowMs, this.#settings.vadHangoverMs))
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
        text: this.#pendingText,
        speechEndAtMs: this.#speechEndAtMs,
        finalAtMs: this.#finalAtMs,
      });
      this.#pendingText = '';
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
