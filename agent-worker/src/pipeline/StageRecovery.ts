import type { Stage } from '@voiceroom/agent-core/stages';
import type { StageRecovery as Recovery, SessionCallEvent, StageKind } from '@voiceroom/protocol';
import type { Logger } from 'pino';

export const CANNOT_HEAR_REPLY =
  "Sorry, I'm having trouble hearing you right now. Let me get a colleague to help you.";

/** The provider that takes over from a failed input stage, and how the pipeline puts it in. */
export interface Takeover<T extends Stage> {
  load(): Promise<T>;
  adopt(stage: T): void;
}

export interface StageRecoveryOptions {
  roomId: string;
  /** The providers in use, by stage kind. */
  providers: Record<StageKind, string>;
  /** Milliseconds since the call started. */
  callMs(): number;
  emit(event: SessionCallEvent): void;
  /** Says `text` as an agent turn the caller can interrupt. */
  speak(text: string): void;
  /** The pipeline closed: nothing more to recover. */
  closed(): boolean;
  logger?: Pick<Logger, 'error'>;
}

/**
 * The pipeline's one failure story (agents-js' FallbackAdapter, during a call): every stage failure is reported as
 * a `stage.failed` event (the console and the call record see it) and recovered. A failed input stage (VAD,
 * recogniser) is replaced by its offline provider, once per call; without one, the agent says it cannot hear and
 * asks for a human rather than carrying on deaf. A failed dialog turn was already answered with an apology; a
 * failed synthesiser leaves no voice to apologise with, so a human is asked for.
 */
export class StageRecovery {
  readonly #options: StageRecoveryOptions;
  readonly #providers: Record<StageKind, string>;
  readonly #tookOver = new Set<StageKind>();
  #hearing = true;

  constructor(options: StageRecoveryOptions) {
    this.#options = options;
    this.#providers = { ...options.providers };
  }

  /** False once an input stage failed with nothing to take over: the caller's speech reaches no one. */
  get hearing(): boolean {
    return this.#hearing;
  }

  inputFailed<T extends Stage>(kind: 'vad' | 'stt', error: unknown, takeover: Takeover<T> | undefined): void {
    const failed = this.#providers[kind];
    this.#options.logger?.error({ err: error, roomId: this.#options.roomId }, `${kind} (${failed}) failed`);
    if (takeover === undefined || this.#tookOver.has(kind)) {
      this.#cannotHear(kind, failed, error);
      return;
    }
    this.#tookOver.add(kind);
    takeover.load().then(
      (stage) => {
        if (this.#options.closed()) return;
        takeover.adopt(stage);
        this.#providers[kind] = stage.name;
        this.#report(kind, failed, error, 'fallback', stage.name);
      },
      (loadError: unknown) => {
        this.#options.logger?.error({ err: loadError }, `the offline ${kind} could not be loaded`);
        this.#cannotHear(kind, failed, error);
      },
    );
  }

  /** A dialog or synthesis failure during an agent turn; `apologised`: the caller heard the apology instead. */
  replyFailed(kind: 'dialog' | 'tts', error: unknown, apologised: boolean): void {
    this.#options.logger?.error({ err: error, roomId: this.#options.roomId }, `agent reply failed (${kind})`);
    const provider = this.#providers[kind];
    if (kind === 'dialog') {
      this.#report(kind, provider, error, apologised ? 'apology' : 'none');
      return;
    }
    this.#report(kind, provider, error, 'handoff');
    this.#options.emit({ type: 'handoff', roomId: this.#options.roomId, reason: 'speech synthesis failed' });
  }

  #cannotHear(kind: StageKind, provider: string, error: unknown): void {
    if (this.#options.closed()) return;
    this.#hearing = false;
    this.#report(kind, provider, error, 'apology');
    this.#options.speak(CANNOT_HEAR_REPLY);
    const reason = kind === 'vad' ? 'speech detection failed' : 'speech recognition failed';
    this.#options.emit({ type: 'handoff', roomId: this.#options.roomId, reason });
  }

  #report(
    kind: StageKind,
    provider: string,
    error: unknown,
    recovery: Recovery,
    fallbackProvider?: string,
  ): void {
    this.#options.emit({
      type: 'stage.failed',
      roomId: this.#options.roomId,
      stage: kind,
      provider,
      message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      recovery,
      ...(fallbackProvider === undefined ? {} : { fallbackProvider }),
      atMs: this.#options.callMs(),
    });
  }
}
