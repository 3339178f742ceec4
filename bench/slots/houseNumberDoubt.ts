/**
 * How well the dialog's doubt about a house number (houseNumberUnsure: the n-best list agrees on the street, not on
 * the number, or the recogniser's confidence is low) picks out the numbers heard wrong, on bench:slots' address
 * answers: the address the dialog takes (mostHeardAddress over the hypotheses), whether its number and street are
 * right, and whether the dialog would read the number back digit by digit. Reading a right number so costs nothing;
 * a wrong one read so is one the caller hears apart and corrects. `sure`: the confidence threshold (the dialog's by
 * default).
 */
import {
  HOUSE_NUMBER_SURE,
  Hypothesis,
  houseNumberOf,
  houseNumberUnsure,
  mostHeardAddress,
  type Nlu,
} from '@voiceroom/agent-core/nlu';

/** What bench:slots keeps of an answer (its per_case rows). */
export interface HeardAnswer {
  slot: string;
  expected: string;
  heard: string;
  alternatives: readonly string[];
  confidence: number;
}

export interface DoubtCounts {
  addresses: number;
  /** The address taken is right (number, street and kind). */
  right: number;
  right_checked: number;
  /** The street's name right, the number wrong: what a digit-by-digit check is for. */
  number_wrong: number;
  number_wrong_checked: number;
  /** The street's name wrong (the number right or not). */
  street_wrong: number;
  street_wrong_checked: number;
}

export function houseNumberDoubt(
  nlu: Nlu,
  answers: readonly HeardAnswer[],
  sure = HOUSE_NUMBER_SURE,
): DoubtCounts {
  const counts: DoubtCounts = {
    addresses: 0,
    right: 0,
    right_checked: 0,
    number_wrong: 0,
    number_wrong_checked: 0,
    street_wrong: 0,
    street_wrong_checked: 0,
  };
  for (const answer of answers.filter((a) => a.slot === 'address')) {
    const hypotheses = Hypothesis.all(nlu, [
      answer.heard,
      ...answer.alternatives.filter((t) => t !== answer.heard),
    ]);
    const taken = mostHeardAddress(hypotheses) ?? (hypotheses[0] as Hypothesis);
    const address = taken.understood('address').address?.toLowerCase().replace(/,.*$/, '') ?? '';
    const checked = houseNumberUnsure(address, hypotheses, answer.confidence, sure);
    counts.addresses++;
    const kind =
      address === answer.expected
        ? 'right'
        : streetOf(address) === streetOf(answer.expected)
          ? 'number_wrong'
          : 'street_wrong';
    counts[kind]++;
    if (checked) counts[`${kind}_checked`]++;
  }
  return counts;
}

function streetOf(address: string): string {
  return houseNumberOf(address)?.street ?? address;
}
