/** Tokenisation shared by every NLU parser: works on ASR output (lowercase, no punctuation) and typed text alike. */

export interface Token {
  /** Lowercase, apostrophes removed ("it's" -> "its"). */
  norm: string;
  /** As written (apostrophes kept), for names that arrive capitalised: "O'Brien". */
  raw: string;
  /** Punctuation before it marks a pause ("w i l l i a m ... r o g e r s", "hold on, two cokes"). */
  pauseBefore?: true;
}

const PAUSE = /[.,;:!?…]|\s-\s/;

const TOKEN_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const raw = match[0].replace(/’/g, "'");
    const token: Token = { norm: raw.replace(/'/g, '').toLowerCase(), raw };
    if (tokens.length > 0 && PAUSE.test(text.slice(previousEnd, match.index))) token.pauseBefore = true;
    tokens.push(token);
    previousEnd = match.index + match[0].length;
  }
  return tokens;
}

export function norms(tokens: readonly Token[]): string[] {
  return tokens.map((t) => t.norm);
}

/** The normalised words of `text` (see Token.norm), as the NLU's parsers match them. */
export function normWords(text: string): string[] {
  return norms(tokenize(text));
}

/** The words of `text` as written (punctuation kept), split at whitespace: for counting or cutting what is said. */
export function spokenWords(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Index of the first occurrence of `phrase` (space-separated normalised words) in `words`, or -1. */
export function findPhrase(words: readonly string[], phrase: string, from = 0): number {
  const parts = phrase.split(' ');
  outer: for (let i = from; i <= words.length - parts.length; i++) {
    for (let j = 0; j < parts.length; j++) if (words[i + j] !== parts[j]) continue outer;
    return i;
  }
  return -1;
}

export function hasPhrase(words: readonly string[], phrase: string): boolean {
  return findPhrase(words, phrase) >= 0;
}

export function hasAnyPhrase(words: readonly string[], phrases: readonly string[]): boolean {
  return phrases.some((p) => findPhrase(words, p) >= 0);
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/**
 * Words that are never part of a person's or street's name. Used to stop name capture ("my name is john and ...")
 * and to reject non-names ("this is great").
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `a an the and or but so if then than that thats this these those there theres here heres it its is are was were be
  been being am im i id ill ive me my mine you your youre yours we our us they their them he she his her him who what
  whats when where why how which can could would should will shall may might must do does did done dont doesnt didnt
  have has had having get got getting give make made take want wanted need like love please thanks thank okay ok
  yes yeah yep yup no nope nah not sure right correct great good fine perfect cool awesome hi hello hey bye goodbye
  just also too very really actually maybe well oh um uh uhm er hmm like so order ordering delivery deliver pickup
  address name number phone street call calling called for to from at on in of with without by about into onto up
  down out over under again all any some more most other another each every both few many much one two three four
  five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand first second last next now
  today tonight tomorrow later soon pizza pizzas please pleased happy hungry ready looking going trying calling
  speaking wondering fine here there home work new old big small medium large little extra regular same different
  something anything nothing everything someone anyone everyone none yes wait hold sorry excuse pardon again
  apartment apt unit suite floor building house lane road avenue drive way court place interested starving curious
  after hoping thinking ordering back glad afraid still calling wanting checking gonna wanna gotta fine free busy
  in outside downstairs upstairs around near home lot bit kind sort way stuff thing things menu food dinner lunch
  because cause since while until unless though although whether only even ever never always probably definitely
  basically said says say tell told know think thought mean meant guess see look come go went gone put set let ask
  asked keep find try use feel seem leave bring show hear move believe happen pay add spend open offer remember buy
  send expect stay reach pass sell decide pull pick picked call called sound sounds hope wish okay alright
  lets wheres hows whos theyre weve youll youve youd shes hes isnt wasnt arent cant wont wouldnt couldnt shouldnt
  havent hasnt`.split(/\s+/),
);
