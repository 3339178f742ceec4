import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Pronunciations for words missing from CMUdict ("margherita"): espeak-ng's phoneme mnemonics (`-x`) mapped onto
 * the ARPAbet phone set of the acoustic model. Approximate, but far better than dropping the word.
 */
const TABLE: [string, string][] = [
  ['aI@', 'AY AH'],
  ['aI3', 'AY ER'],
  ['A@', 'AA R'],
  ['O@', 'AO R'],
  ['o@', 'AO R'],
  ['e@', 'EH R'],
  ['i@3', 'IH R'],
  ['i@', 'IY AH'],
  ['U@', 'UH R'],
  ['@L', 'AH L'],
  ['@r', 'ER'],
  ['3:', 'ER'],
  ['A:', 'AA'],
  ['O:', 'AO'],
  ['i:', 'IY'],
  ['u:', 'UW'],
  ['oU', 'OW'],
  ['eI', 'EY'],
  ['aI', 'AY'],
  ['aU', 'AW'],
  ['OI', 'OY'],
  ['tS', 'CH'],
  ['dZ', 'JH'],
  ['I2', 'IH'],
  ['I#', 'IH'],
  ['a#', 'AH'],
  ['@2', 'AH'],
  ['@5', 'AH'],
  ['t#', 'T'],
  ['aa', 'AE'],
  ['n-', 'N'],
  ['l-', 'L'],
  ['r-', 'R'],
  ['3', 'ER'],
  ['@', 'AH'],
  ['a', 'AE'],
  ['A', 'AA'],
  ['0', 'AA'],
  ['O', 'AO'],
  ['E', 'EH'],
  ['e', 'EH'],
  ['i', 'IY'],
  ['I', 'IH'],
  ['U', 'UH'],
  ['u', 'UW'],
  ['V', 'AH'],
  ['o', 'OW'],
  ['T', 'TH'],
  ['D', 'DH'],
  ['S', 'SH'],
  ['Z', 'ZH'],
  ['N', 'NG'],
  ['h', 'HH'],
  ['j', 'Y'],
  ['x', 'K'],
  ['p', 'P'],
  ['b', 'B'],
  ['t', 'T'],
  ['d', 'D'],
  ['k', 'K'],
  ['g', 'G'],
  ['f', 'F'],
  ['v', 'V'],
  ['s', 'S'],
  ['z', 'Z'],
  ['m', 'M'],
  ['n', 'N'],
  ['l', 'L'],
  ['r', 'R'],
  ['w', 'W'],
];

export function espeakToArpabet(mnemonics: string): string {
  const s = mnemonics.replace(/[',%=_|;]/g, '');
  const phones: string[] = [];
  let i = 0;
  while (i < s.length) {
    const match = TABLE.find(([k]) => s.startsWith(k, i));
    if (match) {
      phones.push(match[1]);
      i += match[0].length;
    } else {
      i += 1; // length marks, syllable separators and other modifiers carry no phone
    }
  }
  return phones.join(' ');
}

/** espeak-ng's pronunciation of each word asked for so far in this process (null: it gave none). */
const pronounced = new Map<string, string | null>();

/**
 * Pronounces each word with espeak-ng (one process for the words not pronounced before). Words it cannot pronounce
 * are left out.
 */
export async function pronounce(words: readonly string[]): Promise<Map<string, string>> {
  const fresh = [...new Set(words.filter((word) => !pronounced.has(word)))];
  if (fresh.length > 0) for (const [word, phones] of await runEspeak(fresh)) pronounced.set(word, phones);
  const result = new Map<string, string>();
  for (const word of words) {
    const phones = pronounced.get(word);
    if (phones) result.set(word, phones);
  }
  return result;
}

async function runEspeak(words: readonly string[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  const { stdout } = await run('espeak-ng', ['-q', '-x', '-v', 'en-us', words.join('\n\n')], {
    timeout: 10_000,
  });
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length !== words.length) {
    for (const word of words) {
      const { stdout: one } = await run('espeak-ng', ['-q', '-x', '-v', 'en-us', word], { timeout: 5000 });
      result.set(word, espeakToArpabet(one.trim()) || null);
    }
    return result;
  }
  words.forEach((word, i) => {
    result.set(word, espeakToArpabet(lines[i] as string) || null);
  });
  return result;
}
