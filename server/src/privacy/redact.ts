/**
 * PII redaction for stored transcripts: card numbers, email addresses and phone numbers are replaced
 * by a placeholder naming what was removed, so a reader still understands the conversation.
 * Spoken forms matter as much as written ones: ASR writes "five five five one two three four" as words.
 */

export type PiiKind = 'card' | 'email' | 'phone';

export interface RedactionResult {
  text: string;
  /** One entry per redacted span (kinds only: the values themselves are never kept). */
  found: PiiKind[];
}

const PLACEHOLDER: Record<PiiKind, string> = { card: '[card]', email: '[email]', phone: '[phone]' };

const DIGIT_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** "john dot smith at example dot com" as ASR writes a dictated address. */
/** Repetitions are bounded (real addresses have few parts) so adversarial "x dot x dot ..." text stays linear. */
const SPOKEN_EMAIL =
  /\b[a-z0-9]+(?:\s+(?:dot|underscore|dash)\s+[a-z0-9]+){0,4}\s+at\s+[a-z0-9]+(?:\s+dot\s+[a-z0-9]+){0,3}\s+dot\s+(?:com|net|org|edu|gov|io|co|uk|de|fr|info|biz)\b/gi;

const DIGIT_TOKEN = String.raw`(?:\d|\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b)`;
/**
 * A run of digits or digit words joined by spaces, dashes, dots, slashes or parentheses, optionally led by "+".
 * "double five" is left as is: too rare to justify the false positives.
 */
const DIGIT_RUN = new RegExp(String.raw`\+?\(?${DIGIT_TOKEN}(?:[\s().\/-]{0,3}${DIGIT_TOKEN})+\)?`, 'gi');

function digitsOf(run: string): string {
  return run
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((token) => (/^\d+$/.test(token) ? token : (DIGIT_WORDS[token] ?? '')))
    .join('');
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function classifyDigits(run: string): PiiKind | null {
  const digits = digitsOf(run);
  // 16-19 digits is a card even with a bad checksum (a misheard digit must not leak the other fifteen).
  if (digits.length >= 16 && digits.length <= 19) return 'card';
  if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'card';
  // 7 digits is a local number; up to 15 covers E.164; longer runs are several numbers read in a row.
  // Shorter runs are quantities, prices, house numbers.
  if (digits.length >= 7) return 'phone';
  return null;
}

/**
 * Redacts PII from one utterance. Pure and deterministic; safe on any input (empty, very long, non-English).
 */
export function redactPii(text: string): RedactionResult {
  const found: PiiKind[] = [];
  let out = text.replace(EMAIL, () => {
    found.push('email');
    return PLACEHOLDER.email;
  });
  out = out.replace(SPOKEN_EMAIL, () => {
    found.push('email');
    return PLACEHOLDER.email;
  });
  out = out.replace(DIGIT_RUN, (match: string) => {
    const kind = classifyDigits(match);
    if (!kind) return match;
    found.push(kind);
    return PLACEHOLDER[kind];
  });
  return { text: out, found };
}
