import { HOUSE_NUMBER_PHRASES } from './address.ts';
import { findPhrase } from './text.ts';

export type Detail = 'name' | 'address' | 'phone';

/** How callers say which detail they are giving or correcting ("no, the address is ...", "my number is ..."). */
const DETAIL_PHRASES: Readonly<Record<Detail, readonly string[]>> = {
  name: ['name is', 'names', 'my name', 'the name', 'under the name'],
  address: [
    'address is',
    'the address',
    'my address',
    'i live at',
    'deliver it to',
    'deliver to',
    'street is',
    ...HOUSE_NUMBER_PHRASES,
  ],
  phone: [
    'number is',
    'phone number',
    'my number',
    'the number',
    'area code',
    'last four',
    'last digits',
    'ends in',
    'ending in',
  ],
};

/**
 * The detail the caller says they are giving, whatever the agent asked: the one named last ("my name is Sarah and
 * the address is ..." goes on with the address). Asked for the order or the read-back, "the number is five one two
 * ..." is a phone number, not five of something ("the number of cokes" is none). A phrase inside another detail's
 * ("number is" in "the house number is") is that one's.
 */
export function namedDetail(words: readonly string[]): Detail | undefined {
  const found = (Object.entries(DETAIL_PHRASES) as [Detail, readonly string[]][]).flatMap(
    ([detail, phrases]) =>
      phrases.flatMap((phrase) => {
        const at = findPhrase(words, phrase);
        const end = at + phrase.split(' ').length;
        // "the number of cokes" counts something: no phone number
        const count = detail === 'phone' && words[end] === 'of';
        return at < 0 || count ? [] : [{ detail, at, end }];
      }),
  );
  const inside = (p: (typeof found)[number]) =>
    found.some((q) => q.detail !== p.detail && q.at < p.at && p.at < q.end);
  return found
    .filter((p) => !inside(p))
    .reduce<(typeof found)[number] | undefined>(
      (last, p) => (last === undefined || p.at > last.at ? p : last),
      undefined,
    )?.detail;
}
