/** What the recogniser made of one caller line, as bench:dialog and bench:robustness record it. */

export interface Heard {
  text: string;
  /** The recogniser's other hypotheses, most likely first. */
  alternatives: readonly string[];
  /** Its confidence in `text` (0..1). */
  confidence: number;
}

/**
 * The agent's recogniser gives a final its best hypothesis and up to five others (its n-best of five, less the best
 * where the list holds it), all of which the dialog reads: a longer list (a larger n-best configured) is cut here.
 */
const RECORDED_ALTERNATIVES = 5;

/** `heard` as a transcript keeps it: the confidence to three decimals, the alternatives the dialog chose from. */
export function recordHeard(heard: Heard): Heard {
  return {
    text: heard.text,
    alternatives: heard.alternatives.slice(0, RECORDED_ALTERNATIVES),
    confidence: Math.round(heard.confidence * 1000) / 1000,
  };
}
