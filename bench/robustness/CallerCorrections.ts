/**
 * The caller's check of the details in the agent's read-back ("... for Sarah Miller, delivered to 42 Oak Street. The
 * driver can reach you on four one five, ..."): the first one read back wrong is corrected the way callers
 * do, in other words than their first answer ("no, the name is ...", "no, the last four digits are ..."). A
 * detail corrected MAX_TRIES times is let go, and no more than MAX_CORRECTIONS are made in a call: a real caller gives
 * up rather than spend the call on it.
 */
import {
  findPhone,
  normWords,
  phoneDigits,
  READ_BACK_ADDRESS,
  READ_BACK_NAME,
  READ_BACK_PHONE,
} from '@voiceroom/agent-core/nlu';
import type { Conversation } from './conversation.ts';
import { phoneByDigit, spokenPhone } from './conversation.ts';

export type Detail = 'name' | 'address' | 'phone';

/** The details a read-back names; null for one it leaves out. */
export interface DetailsReadBack {
  name: string | null;
  address: string | null;
  /** Its digits. */
  phone: string | null;
}

const MAX_TRIES = 2;
const MAX_CORRECTIONS = 3;
/**
 * The last caller turn in which a detail is still corrected: the bench ends a call after TURN_CAP (14) caller turns,
 * and a correction this late leaves room for the read-back again and the yes (or the spelling the agent may ask
 * for); a caller whose call has gone on this long lets a detail go.
 */
const LAST_CORRECTING_TURN = 12;

/** The name, address and phone digits an agent's read-back says. */
export function detailsReadBack(reply: string): DetailsReadBack {
  const name = READ_BACK_NAME.exec(reply)?.[1] ?? null;
  const address = READ_BACK_ADDRESS.exec(reply)?.[1] ?? null;
  const phone = READ_BACK_PHONE.exec(reply)?.[1];
  return {
    name,
    address,
    phone: phone === undefined ? null : phoneDigits(findPhone(normWords(phone))?.value),
  };
}

const LONG_FORMS: Readonly<Record<string, string>> = {
  st: 'street',
  ave: 'avenue',
  rd: 'road',
  dr: 'drive',
  ln: 'lane',
  blvd: 'boulevard',
  ct: 'court',
  pl: 'place',
  apt: 'apartment',
};

/** The digits as the bench caller hears them read out, by value. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * As a listener hears it: case, punctuation, "St" for "Street", a number read digit by digit ("four six two two
 * Harbor Road" is 4622 Harbor Road), the spaces inside a name and spellings that sound alike ("Catherine" for
 * "Katherine", "Macdonald" for "McDonald", "Sara" for "Sarah") do not matter.
 */
function sameHeard(said: string, meant: string): boolean {
  const digit = (word: string) => {
    const i = DIGIT_WORDS.indexOf(word);
    return i < 0 ? word : String(i);
  };
  const heard = (text: string) =>
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .map((w) => soundsLike(LONG_FORMS[w] ?? digit(w)))
      .join('');
  return heard(said) === heard(meant);
}

/** A spelling as said: doubled letters are one sound, doubled digits two ("4622" is not "462"). */
function soundsLike(word: string): string {
  return word
    .replace(/^mc/, 'mac')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/c(?=[aoulrk])/g, 'k')
    .replace(/y/g, 'i')
    .replace(/(?<=.)h/g, '')
    .replace(/([a-z])\1+/g, '$1');
}

export class CallerCorrections {
  readonly #conversation: Conversation;
  readonly #tries: Record<Detail, number> = { name: 0, address: 0, phone: 0 };
  #made = 0;
  /** The detail the caller corrected last, and how it said it. */
  #last: { detail: Detail; said: string } | undefined;

  constructor(conversation: Conversation) {
    this.#conversation = conversation;
  }

  /**
   * What the caller says to the read-back `reply` about the details it reads back (one it leaves out, the agent
   * gave up on or left for the restaurant to confirm) in its `turn`; undefined when they are right or the caller
   * lets them go.
   */
  correction(reply: string, turn: number): string | undefined {
    this.#last = undefined;
    if (this.#made >= MAX_CORRECTIONS || turn > LAST_CORRECTING_TURN) return undefined;
    const said = detailsReadBack(reply);
    const c = this.#conversation;
    const wrong: Detail | undefined = (['name', 'address', 'phone'] as const).find((detail) => {
      const value = said[detail];
      if (this.#tries[detail] >= MAX_TRIES || value === null) return false;
      return detail === 'phone' ? value !== c.phone : !sameHeard(value, c[detail]);
    });
    return wrong && this.#correct(wrong, said);
  }

  /** Whether `said` is the caller's last correction of a detail (see again). */
  corrected(said: string | undefined): boolean {
    return said !== undefined && said === this.#last?.said;
  }

  /**
   * Asked to confirm again without a read-back after correcting a detail (the correction was not caught): the
   * correction once more, in other words, while the detail has tries left; undefined when the caller lets it go.
   */
  again(turn: number): string | undefined {
    const last = this.#last;
    this.#last = undefined;
    if (!last || this.#tries[last.detail] >= MAX_TRIES || turn > LAST_CORRECTING_TURN) return undefined;
    return this.#correct(last.detail, { name: null, address: null, phone: null });
  }

  #correct(detail: Detail, readBack: DetailsReadBack): string {
    const attempt = this.#tries[detail]++;
    this.#made++;
    const said = this.#phrase(detail, attempt, readBack);
    this.#last = { detail, said };
    return said;
  }

  #phrase(detail: Detail, attempt: number, said: DetailsReadBack): string {
    const c = this.#conversation;
    if (detail === 'name')
      // the first answer was "my name is ..." or "it's ...": said another way
      return attempt === 0 && c.name.length % 2 === 0
        ? `the name is ${c.name}`
        : attempt === 0
          ? `my name is ${c.name}`
          : `that's not my name, my name is ${c.name}`;
    if (detail === 'address') return attempt === 0 ? `the address is ${c.address}` : `I said ${c.address}`;
    const group = attempt === 0 ? wrongGroup(said.phone, c.phone) : undefined;
    if (group) return group;
    return attempt === 0
      ? `the number is ${spokenPhone(c.phone)}`
      : `my phone number is ${phoneByDigit(c.phone)}`;
  }
}

/** "the last four digits are 0 1 2 3" when the number read back has only that group wrong. */
function wrongGroup(heard: string | null, meant: string): string | undefined {
  if (heard?.length !== meant.length || meant.length !== 10) return undefined;
  const groups = [
    { from: 0, to: 3, says: 'the area code is' },
    { from: 3, to: 6, says: 'the middle three digits are' },
    { from: 6, to: 10, says: 'the last four digits are' },
  ];
  const wrong = groups.filter((g) => heard.slice(g.from, g.to) !== meant.slice(g.from, g.to));
  const only = wrong.length === 1 ? wrong[0] : undefined;
  return only ? `${only.says} ${meant.slice(only.from, only.to).split('').join(' ')}` : undefined;
}
