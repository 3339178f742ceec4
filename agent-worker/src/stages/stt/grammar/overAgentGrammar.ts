import { spokenWords } from '@voiceroom/agent-core/nlu';
import { OVER_AGENT_PHRASES } from '../lm/overAgentPhrases.ts';
import { HESITATIONS } from '../lm/slotCorpus.ts';
import { FsgBuilder } from './fsgBuilder.ts';

/** The phones of pocketsphinx's en-us acoustic model (its mdef, silence aside). */
const PHONES = [
  'AA',
  'AE',
  'AH',
  'AO',
  'AW',
  'AY',
  'B',
  'CH',
  'D',
  'DH',
  'EH',
  'ER',
  'EY',
  'F',
  'G',
  'HH',
  'IH',
  'IY',
  'JH',
  'K',
  'L',
  'M',
  'N',
  'NG',
  'OW',
  'OY',
  'P',
  'R',
  'S',
  'SH',
  'T',
  'TH',
  'UH',
  'UW',
  'V',
  'W',
  'Y',
  'Z',
  'ZH',
];
/** The dictionary words of the "anything else" path: one phone each ("phone_aa AA"). */
const PHONE_WORD_PREFIX = 'phone_';
const phoneWord = (phone: string) => `${PHONE_WORD_PREFIX}${phone.toLowerCase()}`;

/**
 * How much likelier the "anything else" path is at its start than any one phrase. Its phones pay the language
 * weight one by one, so a phrase said whole still beats it; other speech fits no phrase and takes it.
 */
const OTHER_SPEECH_WEIGHT = 4;
/** Phones of other speech, on average, before it ends (a word or two). */
const MEAN_OTHER_PHONES = 6;
/**
 * How much likelier a phrase ends the caller's speech than goes on into other words ("okay, can I add a coke"):
 * without the way on, the decoder gives the phrase alone for such a sentence (the best path that got anywhere).
 */
const PHRASE_ALONE_WEIGHT = 10;

/**
 * What a caller says over the agent, as one grammar: a backchannel ("uh huh", "okay"), a request to stop ("wait",
 * "no", "hold on"), either perhaps after a hesitation, or anything else, a loop of single phones that fits any speech
 * (after a phrase too: a sentence that begins with "okay" is other speech).
 * Decoded beside the open model on speech that begins while the agent talks (ParallelGrammar), it tells a
 * backchannel from a stop on its own: the open model is a whole language and can hear "okay" as "no"; this grammar
 * has no word for the "no" unless the caller said one, and no "yeah" for a "stop".
 */
export function overAgentGrammar(): FsgBuilder {
  const fsg = new FsgBuilder();
  const said = fsg.state();
  fsg.arc(fsg.start, said, undefined, HESITATIONS.length * 4);
  for (const word of HESITATIONS) fsg.arc(fsg.start, said, word);
  const phraseEnd = fsg.state();
  for (const phrase of OVER_AGENT_PHRASES) fsg.phrase(said, phraseEnd, phrase);
  fsg.arc(phraseEnd, fsg.final, undefined, PHRASE_ALONE_WEIGHT);
  const other = fsg.state();
  for (const phone of PHONES) {
    fsg.arc(said, other, phoneWord(phone), OTHER_SPEECH_WEIGHT / PHONES.length);
    fsg.arc(phraseEnd, other, phoneWord(phone), 1 / PHONES.length);
    fsg.arc(other, other, phoneWord(phone));
  }
  fsg.arc(other, fsg.final, undefined, PHONES.length / (MEAN_OTHER_PHONES - 1));
  return fsg;
}

/** The dictionary lines of the grammar's phone words (no dictionary has them). */
export function phoneWordPronunciations(): string {
  return PHONES.map((phone) => `${phoneWord(phone)} ${phone}\n`).join('');
}

/** The grammar's words a dictionary has: the phrases' and the hesitations'. */
export function overAgentGrammarWords(fsg: FsgBuilder): string[] {
  return fsg.words().filter((word) => !word.startsWith(PHONE_WORD_PREFIX));
}

/**
 * The phrase the grammar heard in its hypothesis (a hesitation, a backchannel or a stop, as the phrase lists spell
 * them), or '' when it heard other speech.
 */
export function phraseHeard(hypothesis: string): string {
  const words = spokenWords(hypothesis);
  return words.some((w) => w.startsWith(PHONE_WORD_PREFIX)) ? '' : words.join(' ');
}
