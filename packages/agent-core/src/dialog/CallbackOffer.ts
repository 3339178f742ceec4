import {
  continuePhone,
  findPhone,
  isDialablePhoneNumber,
  normWords,
  phoneDigits,
  yesNoAnswer,
} from '../nlu/index.ts';
import type { ChatMessage, DialogChunk, DialogSession, DialogTurnInput } from '../stages/index.ts';
import { askWholePhone } from './replies.ts';

/**
 * What the agent says when no person accepted the handoff in time (handoff.timeoutS): it offers a callback, asked so
 * that the recogniser listens for a yes or no (listeningFor), and then for a number.
 */
export const CALLBACK_OFFER =
  "I'm sorry, nobody is free right now. Would you like me to arrange for a person to call you back?";
export const CALLBACK_DECLINED = 'No problem. I can keep helping you in the meantime.';
export const CALLBACK_ASK_NUMBER = 'Sure. What number should we call you back on?';
export const CALLBACK_ASK_NUMBER_AGAIN =
  "Sorry, I didn't catch the number. Could you say it again, digit by digit?";

/** Said before the confirmation when the number asked for again was still not dialable. */
export const CALLBACK_NUMBER_LEFT_OUT = "Sorry, I still couldn't get the whole number.";

export function callbackConfirmed(phone: string | null): string {
  return phone
    ? `Thank you. A person will call you back on ${phone} as soon as someone is free. Can I help you with anything else?`
    : 'Thank you. A person will call you back as soon as someone is free. Can I help you with anything else?';
}

type Stage = 'idle' | 'asked' | 'number' | 'number-again';

/**
 * The callback offer around any dialog: after `offer()` (nobody took the handoff) the caller's next turn answers it
 * here, not in the wrapped dialog. Yes -> the phone number said earlier in the call, or asked for (twice at most;
 * then the yes is recorded without one); then a `callback` chunk (the caller's consent) that the server records.
 * No -> the call goes on. Anything else is an ordinary turn for the wrapped dialog and the offer lapses. The
 * answers are left out of the history the wrapped dialog sees: one that catches up on turns it did not answer (the
 * scripted one after a takeover) would take a "yes" to the callback as a yes to its own last question.
 *
 * Only a dialable number (isDialablePhoneNumber) is called back: one heard in part or misheard is kept and read out,
 * and the whole number asked for; the next answer is its rest or the number again (continuePhone). Still not
 * dialable, the yes is recorded without a number: a number short of its digits reaches nobody, or somebody else.
 */
export class CallbackOffer implements DialogSession {
  readonly #inner: DialogSession;
  #stage: Stage = 'idle';
  /** The caller's answers to the offer: kept from the wrapped dialog, whose "yes" they are not. */
  readonly #answered = new WeakSet<ChatMessage>();
  /** The digits of the number heard so far, short of a whole one. */
  #heard: string | null = null;

  constructor(inner: DialogSession) {
    this.#inner = inner;
  }

  /** The line to speak now; the caller's next turn answers it. */
  offer(): string {
    this.#stage = 'asked';
    this.#heard = null;
    return CALLBACK_OFFER;
  }

  async *respond(input: DialogTurnInput, signal: AbortSignal): AsyncIterable<DialogChunk> {
    const reply = this.#answer(input);
    if (!reply) {
      const history = input.history.filter((m) => !this.#answered.has(m));
      yield* this.#inner.respond({ ...input, history }, signal);
      return;
    }
    const answer = input.history.at(-1);
    if (answer?.role === 'user') this.#answered.add(answer);
    yield* reply;
  }

  hearHuman(text: string): void {
    this.#inner.hearHuman?.(text);
  }

  /** Only where the wrapped dialog can take a call over (see DialogSession.resume). */
  get resume(): DialogSession['resume'] {
    return this.#inner.resume?.bind(this.#inner);
  }

  close(): void {
    this.#inner.close();
  }

  #answer(input: DialogTurnInput): DialogChunk[] | undefined {
    const stage = this.#stage;
    this.#stage = 'idle';
    const words = normWords(input.userText);
    if (stage === 'number' || stage === 'number-again') {
      const phone = continuePhone(this.#heard, words) ?? findPhone(words)?.value ?? null;
      if (phone && dialable(phone)) return callback(phone);
      if (!phone && yesNoAnswer(words) === 'no') return [{ type: 'text', text: CALLBACK_DECLINED }];
      if (stage === 'number-again') return callback(null, phone !== null || this.#heard !== null);
      return this.#askAgain(phone);
    }
    if (stage !== 'asked') return undefined;
    const answer = yesNoAnswer(words);
    if (answer === 'no') return [{ type: 'text', text: CALLBACK_DECLINED }];
    if (answer !== 'yes') return undefined;
    const phone = continuePhone(null, words) ?? phoneSaidBefore(input.history);
    if (phone && dialable(phone)) return callback(phone);
    if (phone) return this.#askAgain(phone);
    this.#stage = 'number';
    return [{ type: 'text', text: CALLBACK_ASK_NUMBER }];
  }

  /** Asks for the number once more: the whole of it when part was heard (`heard`), read out as heard. */
  #askAgain(heard: string | null): DialogChunk[] {
    this.#heard = heard;
    this.#stage = 'number-again';
    return [{ type: 'text', text: heard ? askWholePhone(heard) : CALLBACK_ASK_NUMBER_AGAIN }];
  }
}

const dialable = (phone: string) => isDialablePhoneNumber(phoneDigits(phone));

/** The consent, on `phone`; `partHeard`: the number was heard only in part, and the caller told it is left out. */
function callback(phone: string | null, partHeard = false): DialogChunk[] {
  const confirmed = callbackConfirmed(phone);
  return [
    { type: 'text', text: partHeard ? `${CALLBACK_NUMBER_LEFT_OUT} ${confirmed}` : confirmed },
    { type: 'callback', phone },
  ];
}

/** The latest dialable phone number the caller gave in the call. */
function phoneSaidBefore(history: readonly ChatMessage[]): string | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i];
    if (message?.role !== 'user') continue;
    const phone = findPhone(normWords(message.content));
    if (phone && dialable(phone.value)) return phone.value;
  }
  return null;
}
