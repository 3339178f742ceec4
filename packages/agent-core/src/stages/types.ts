/**
 * The four stage kinds of the voice pipeline. Each is a small interface with streaming I/O; providers live in
 * `stages/<kind>/<provider>.ts` and all providers of a kind pass the same conformance suite
 * (`agent-worker/test/conformance/<kind>.conformance.ts`).
 *
 * Audio inside the agent is mono signed 16-bit PCM. Caller audio reaches VAD and ASR at 16 kHz; TTS output is at the
 * provider's own `sampleRate` and is resampled to 48 kHz by the output path.
 */

/**
 * What every stage kind shares (agents-js style): a name for logs and the call record, and a close() that frees what
 * the provider loaded (models, native sessions). Streams and sessions a stage opened are closed by their owners first.
 */
export interface Stage {
  readonly name: string;
  /** Idempotent; frees the provider's models. May finish asynchronously (a GGUF model unloads in the background). */
  close(): void | Promise<void>;
}

export type StageKind = 'vad' | 'stt' | 'dialog' | 'tts';

// ---------- VAD ----------
export type VadEvent =
  | {
      type: 'speech_start';
      /** Stream time of the first speech sample, including prefix padding. */
      atMs: number;
    }
  | { type: 'speech_end'; atMs: number; durationMs: number };

export interface VadStream {
  /** Feeds 16 kHz PCM of any length; returns the events it caused, in order. */
  push(pcm: Int16Array): VadEvent[];
  /** Whether the stream is currently inside speech. */
  readonly speaking: boolean;
  /** Speech probability (0..1) of the last analysed frame. */
  readonly probability: number;
  /**
   * Outside speech: the latest frames are speech that has not lasted long enough to start it yet (the caller going
   * on after a pause, or a click). Absent: not known.
   */
  readonly onset?: boolean;
  /**
   * Inside speech: where the caller's own voice began, placed as speech_start's atMs is (with the prefix padding).
   * Later than speech_start when quieter background voices started the speech. Absent: not known.
   */
  readonly foregroundStartMs?: number;
  /**
   * Inside speech that quieter background voices started: the end of the caller's own voice so far (the room's voices
   * may hold the speech open after it). Absent: not known, or no background voices.
   */
  readonly foregroundEndMs?: number;
  /**
   * Inside such speech: the end of the caller's voice so far with their softer last sounds that still stand over the
   * room (trailing off): at or after foregroundEndMs. Absent as foregroundEndMs is.
   */
  readonly foregroundTrailEndMs?: number;
  /**
   * The agent holds the turn (its greeting or a reply, playing or about to): the caller is listening, so what their
   * microphone hears then is most likely their room. Absent: the VAD makes no use of it.
   */
  setAgentTurn?(active: boolean): void;
  /**
   * Ends the current speech now, as its minimum silence would: turn-taking judged the caller done while the room's
   * voices hold it open. Returns its speech_end (none outside speech). Absent: speech ends on the VAD's own terms.
   */
  endSpeech?(): VadEvent[];
  reset(): void;
  close(): void;
}

export interface Vad extends Stage {
  createStream(): VadStream;
}

// ---------- STT ----------
export type SttEvent =
  | { type: 'partial'; text: string }
  | {
      type: 'final';
      text: string;
      confidence: number;
      /** Milliseconds from the end of the audio to this final. */
      latencyMs: number;
      /** Other hypotheses of the utterance, most likely first, where the recogniser gives an n-best list. */
      alternatives?: string[];
      /** Speech that began while the agent talked (`SttStream.agentSpeaking`), as a recogniser that judges it heard it. */
      overAgent?: OverAgentReading;
    };

/**
 * What a recogniser that judges speech over the agent on its own heard in it (PocketSphinx: a grammar of
 * backchannels and stop requests decoded beside the open model): `phrase` is the backchannel or stop request it
 * heard ("uh huh", "hold on"), '' for other speech.
 */
export interface OverAgentReading {
  phrase: string;
  /** The recogniser's posterior of `phrase` among what the grammar allows, 0..1. */
  confidence: number;
}

/**
 * What the agent just asked the caller for. A recogniser that follows the dialog listens for that answer first
 * (a model weighted towards names after "Can I get a name?"), still hearing anything else; 'open' expects nothing.
 */
export type SttExpectation = 'order' | 'size' | 'name' | 'address' | 'phone' | 'yesno' | 'open';

export interface SttStream extends AsyncIterable<SttEvent> {
  /** Feeds 16 kHz PCM of the current utterance. */
  pushAudio(pcm: Int16Array): void;
  /**
   * What the caller's next utterance most likely answers, told when the agent asks for it (not when the caller
   * stops). Takes effect from the next utterance on. Only on recognisers with `followsDialog`.
   */
  expect?(slot: SttExpectation): void;
  /**
   * The agent's voice plays to the caller (true) or no longer: an utterance that starts meanwhile is speech over it,
   * which a recogniser that judges it reports as the final's `overAgent`. Only on such recognisers.
   */
  agentSpeaking?(speaking: boolean): void;
  /** Ends the current utterance: a `final` event follows (text may be empty). The stream stays open for the next. */
  endUtterance(): void;
  /** Drops the current utterance without a final. */
  cancelUtterance(): void;
  /** Ends the iteration and frees native resources. */
  close(): void;
}

export interface Stt extends Stage {
  /** Whether its streams listen for what the dialog expects (`SttStream.expect`); absent means they do not. */
  readonly followsDialog?: boolean;
  createStream(): SttStream;
}

// ---------- Dialog (LLM or scripted policy) ----------
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';
export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** For role 'tool': which call this answers. */
  toolCallId?: string;
  /** For role 'assistant': the tool calls it made. */
  toolCalls?: ToolCall[];
  /** For role 'assistant': 'human' when a human agent said it (barge or takeover), not the AI. */
  speaker?: 'human';
}

export interface ToolCall {
  id: string;
  name: string;
  /** JSON-encoded arguments as produced by the model. */
  arguments: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
  run(args: unknown, signal: AbortSignal): Promise<string>;
}

export type DialogChunk =
  | { type: 'text'; text: string }
  /** The agent wants to end the call after speaking what it has said. */
  | { type: 'end_call' }
  /** The agent asks for a human (keyword, sentiment, repeated misunderstanding). */
  | { type: 'handoff'; reason: string }
  /** The caller said yes to a callback (nobody took the handoff); `phone` when they gave one. */
  | { type: 'callback'; phone: string | null };

export interface DialogTurnInput {
  /** Everything said so far, agent turns truncated to what the caller actually heard. */
  history: readonly ChatMessage[];
  /** The caller's new utterance (already appended to `history` as the last user message). */
  userText: string;
  /** Live coaching hints from a human co-pilot, newest last. */
  hints: readonly string[];
  /** How sure the recogniser was of `userText` (0..1), when it says. */
  confidence?: number;
  /** The recogniser's other hypotheses of `userText`, most likely first, when it gives them. */
  alternatives?: readonly string[];
  /**
   * The agent's last reply was cut off before the caller heard its question whole (a barge-in, or a backchannel
   * taken for one): what went unheard, from the sentence it stopped in through the question. Absent when the question
   * was heard, or the pipeline does not tell.
   */
  unheardAsk?: string;
}

export interface DialogSession {
  /** Streams the reply; stops promptly (and without error) when `signal` aborts. */
  respond(input: DialogTurnInput, signal: AbortSignal): AsyncIterable<DialogChunk>;
  /**
   * A human agent's words to the caller (already in the history as a `speaker: 'human'` assistant turn). Optional:
   * a session that keeps its own state of the call (the scripted dialog's order) applies what the human agreed.
   */
  hearHuman?(text: string): void;
  /**
   * Taking the call over from a lost agent: rebuilds the session's own state from the conversation so far (`history`,
   * oldest first) without answering any of it, and returns the question that picks the call up where it stands
   * ("Anything else?", "Can I get a name for the order?"). Optional: without it the agent asks where they were.
   */
  resume?(history: readonly ChatMessage[]): string;
  close(): void;
}

export interface Dialog extends Stage {
  createSession(): DialogSession;
}

// ---------- TTS ----------
export interface Tts extends Stage {
  readonly sampleRate: number;
  /** Streams PCM chunks for `text`; stops promptly when `signal` aborts. */
  synthesize(text: string, signal: AbortSignal): AsyncIterable<Int16Array>;
}
