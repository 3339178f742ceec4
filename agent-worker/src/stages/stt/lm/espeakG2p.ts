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

/** Pronounces each word with espeak-ng (one process for the whole list). Words it cannot pronounce are left out. */
export async function pronounce(words: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (words.length === 0) return result;
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
      const phones = espeakToArpabet(one.trim());
      if (phones) result.set(word, phones);
    }
    return result;
  }
  words.forEach((word, i) => {
    const phones = espeakToArpabet(lines[i] as string);
    if (phones) result.set(word, phones);
  });
  return result;
}
