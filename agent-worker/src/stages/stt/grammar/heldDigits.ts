import { spokenWords } from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';

const DIGIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['oh', '0'],
  ['zero', '0'],
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
]);
/** A whole phone number: what comes after it is a number said again, not the rest of this one. */
const WHOLE_NUMBER = 10;

/** The digits `text` says digit by digit ("double five" 55, "triple oh" 000); other words none. */
export function digitsOf(text: string): string {
  let digits = '';
  let repeat = 1;
  for (const word of spokenWords(text)) {
    const digit = DIGIT_WORDS.get(word);
    if (word === 'double' || word === 'triple') repeat = word === 'double' ? 2 : 3;
    else if (digit !== undefined) {
      digits += digit.repeat(repeat);
      repeat = 1;
    } else repeat = 1;
  }
  return digits;
}

/** How many digits `text` says digit by digit (digitsOf). */
export function digitsSaid(text: string): number {
  return digitsOf(text).length;
}

/**
 * The digits a stream has heard at the phone question since the last whole number: the groups of a number said in
 * groups with pauses, each decoded as an utterance of its own ("four one five" ... "five five five" ...), so that
 * the next utterance is read as the rest of that number (chooseReading). Asking for another slot drops them.
 */
export class HeldDigits {
  #held = 0;

  get count(): number {
    return this.#held;
  }

  expect(slot: SttExpectation): void {
    if (slot !== 'phone') this.#held = 0;
  }

  /** The reading a final at the phone question carried. */
  heard(text: string): void {
    const said = digitsSaid(text);
    if (said === 0) return;
    this.#held = this.#held + said >= WHOLE_NUMBER ? 0 : this.#held + said;
  }
}
