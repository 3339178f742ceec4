import { readFileSync } from 'node:fs';

export interface CensusNames {
  /** Male and female first names interleaved by rank, most frequent first. */
  first: string[];
  /** Surnames, most frequent first. */
  last: string[];
}

let loaded: CensusNames | undefined;

/**
 * Common US first names and surnames from the 1990 census frequency lists (public domain; see the header of
 * census-names-1990.txt for where the copy comes from), read once per process.
 */
export function censusNames(): CensusNames {
  if (loaded) return loaded;
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  const text = readFileSync(new URL('./census-names-1990.txt', import.meta.url), 'utf8');
  for (const line of text.split('\n')) {
    const heading = /^\[(\w+)\]$/.exec(line);
    if (heading) {
      current = [];
      sections.set(heading[1] as string, current);
    } else if (line && !line.startsWith('#')) current?.push(line);
  }
  const male = sections.get('first_male') ?? [];
  const female = sections.get('first_female') ?? [];
  const first: string[] = [];
  for (let i = 0; i < Math.max(male.length, female.length); i++) {
    if (male[i]) first.push(male[i] as string);
    if (female[i]) first.push(female[i] as string);
  }
  loaded = { first: [...new Set(first)], last: sections.get('last') ?? [] };
  return loaded;
}
