/**
 * PII redaction for stored transcripts: card numbers (and the CVV and expiry date said with them), email addresses
 * and phone numbers are replaced by a placeholder naming what was removed, so a reader still understands the
 * conversation. Spoken forms matter as much as written ones: ASR writes "five five five one two three four" as words.
 */

export type PiiKind = 'card' | 'email' | 'phone' | 'cvv' | 'expiry';

export interface RedactionResult {
  text: string;
  /** One entry per redacted span (kinds only: the values themselves are never kept). */
  found: PiiKind[];
}

/** A stretch of `text` to remove, [start, end). */
export interface PiiSpan {
  start: number;
  end: number;
  kind: PiiKind;
}

export const PII_PLACEHOLDER: Readonly<Record<PiiKind, string>> = {
  card: '[card]',
  email: '[email]',
  phone: '[phone]',
  cvv: '[cvv]',
  expiry: '[expiry]',
};

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

const DIGIT_WORD = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)';
const DIGIT_TOKEN = String.raw`(?:\d|\b${DIGIT_WORD}\b)`;
/**
 * A run of digits or digit words joined by spaces, dashes, dots, slashes or parentheses, optionally led by "+".
 * "double five" is left as is: too rare to justify the false positives.
 */
const DIGIT_RUN = new RegExp(String.raw`\+?\(?${DIGIT_TOKEN}(?:[\s().\/-]{0,3}${DIGIT_TOKEN})+\)?`, 'gi');

const MONTH_WORD = String.raw`(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|ten|eleven|twelve|${DIGIT_WORD}|(?:oh|zero)\s+${DIGIT_WORD})`;
const YEAR_WORD = String.raw`(?:(?:twenty\s+)?(?:twenty|thirty)(?:[\s-]+${DIGIT_WORD})?|\d{2}|\d{4})`;
/** "twelve twenty six", "oh nine thirty", "march of twenty twenty seven" (digit-only forms are digit runs). */
const SPOKEN_EXPIRY = new RegExp(String.raw`\b${MONTH_WORD}[\s,/-]+(?:of\s+)?${YEAR_WORD}\b`, 'gi');
/** Words that announce a CVV or an expiry date even when no card number was heard in the same breath. */
const CARD_DETAIL_CUE =
  /\b(?:cvv|cvc|cv2|csc|security\s+code|verification\s+code|card\s+code|code\s+on\s+the\s+back|expires?|expiry|expiration|exp|valid\s+(?:thru|through|until))\b/i;
/** How far (characters) before a number a cue still counts. */
const CUE_REACH = 40;

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

function classifyDigits(digits: string): PiiKind | null {
  // 16-19 digits is a card even with a bad checksum (a misheard digit must not leak the other fifteen).
  if (digits.length >= 16 && digits.length <= 19) return 'card';
  if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'card';
  // 7 digits is a local number; up to 15 covers E.164; longer runs are several numbers read in a row.
  // Shorter runs are quantities, prices, house numbers.
  if (digits.length >= 7) return 'phone';
  return null;
}

/** A short number said with a card: its CVV (3-4 digits) or expiry (MMYY, MM/YY, MM/YYYY). */
function classifyCardDetail(run: string, digits: string): PiiKind | null {
  const month = Number(digits.slice(0, 2));
  const monthFirst = month >= 1 && month <= 12;
  if ((digits.length === 6 || /[/-]/.test(run)) && monthFirst && digits.length >= 4) return 'expiry';
  if (digits.length === 3) return 'cvv';
  if (digits.length === 4) return monthFirst && /[/-]/.test(run) ? 'expiry' : 'cvv';
  return null;
}

function overlaps(spans: readonly PiiSpan[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && end > s.start);
}

/**
 * Where the PII in `text` is. CVVs and expiry dates count only after a card number in the same text, after a cue
 * word ("security code", "expires"), or anywhere when `afterCard` says a card was just given.
 */
export function findPii(text: string, options: { afterCard?: boolean } = {}): PiiSpan[] {
  const spans: PiiSpan[] = [];
  const add = (start: number, end: number, kind: PiiKind) => {
    if (!overlaps(spans, start, end)) spans.push({ start, end, kind });
  };
  for (const pattern of [EMAIL, SPOKEN_EMAIL]) {
    for (const m of text.matchAll(pattern)) add(m.index, m.index + m[0].length, 'email');
  }
  const short: { start: number; end: number; run: string; digits: string }[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const digits = digitsOf(m[0]);
    const kind = classifyDigits(digits);
    if (kind) add(m.index, m.index + m[0].length, kind);
    else short.push({ start: m.index, end: m.index + m[0].length, run: m[0], digits });
  }
  const firstCard = spans.find((s) => s.kind === 'card')?.start ?? Number.POSITIVE_INFINITY;
  const inCardContext = (start: number) =>
    options.afterCard === true ||
    start > firstCard ||
    CARD_DETAIL_CUE.test(text.slice(Math.max(0, start - CUE_REACH), start));
  for (const { start, end, run, digits } of short) {
    const kind = classifyCardDetail(run, digits);
    if (kind && inCardContext(start)) add(start, end, kind);
  }
  for (const m of text.matchAll(SPOKEN_EXPIRY)) {
    if (inCardContext(m.index)) add(m.index, m.index + m[0].length, 'expiry');
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** `text` with each span replaced by its placeholder (spans sorted, not overlapping). */
export function applySpans(text: string, spans: readonly PiiSpan[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + PII_PLACEHOLDER[span.kind];
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * Redacts PII from one utterance. Pure and deterministic; safe on any input (empty, very long, non-English).
 */
export function redactPii(text: string, options: { afterCard?: boolean } = {}): RedactionResult {
  const spans = findPii(text, options);
  return { text: applySpans(text, spans), found: spans.map((s) => s.kind) };
}
