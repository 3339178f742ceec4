/**
 * The voice benchmark's conversation: blocks of an ordinary turn (every other block), sometimes a noise burst or a
 * short "um" over a long answer (possible false interruptions), and always a long answer the caller barges in over;
 * caller voices taken in turn from every voice available, and the real human recordings said as ordinary turns.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BARGE_IN_LINES, LONG_ANSWER_LINES, ORDINARY_LINES } from './utterances.ts';
import type { CallerVoice } from './voiceScenario.ts';

export type TurnKind = 'ordinary' | 'long_answer' | 'barge_in' | 'noise' | 'um' | 'real';

export interface PlannedTurn {
  kind: TurnKind;
  /** What the caller says (the reference for WER); '' for noise, 'um' for an um. */
  text: string;
  /** A synthesized voice, or a recording's file name for `real`. */
  voice: CallerVoice | { engine: 'real'; name: string };
}

export interface RealClip {
  file: string;
  transcript: string;
}

/** The real recordings and their transcripts (TRANSCRIPTS.tsv); throws if the directory is missing. */
export function realClips(dir: string): RealClip[] {
  const tsv = path.join(dir, 'TRANSCRIPTS.tsv');
  if (!existsSync(tsv))
    throw new Error(`no real speech at ${tsv}: set SPEECH_DIR to the shared speech/real directory`);
  return readFileSync(tsv, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file = '', transcript = ''] = line.split('\t');
      // time-marked segments ("[1.46-2.82 s] I'M ... / [3.36-4.36 s] YOU ...") are read as one text
      return {
        file,
        transcript: transcript
          .replace(/\[[^\]]*\]|\//g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      };
    });
}

export function planConversation(
  bargeIns: number,
  voices: readonly CallerVoice[],
  clips: readonly RealClip[],
): PlannedTurn[] {
  const turns: PlannedTurn[] = [];
  let spoken = 0;
  const voice = () => voices[spoken++ % voices.length] as CallerVoice;
  for (let b = 0; b < bargeIns; b++) {
    if (b % 2 === 0)
      turns.push({
        kind: 'ordinary',
        text: ORDINARY_LINES[(b / 2) % ORDINARY_LINES.length] as string,
        voice: voice(),
      });
    const clip = clips[(b - 1) / 2];
    if (b % 2 === 1 && clip)
      turns.push({ kind: 'real', text: clip.transcript, voice: { engine: 'real', name: clip.file } });
    const long = LONG_ANSWER_LINES[b % LONG_ANSWER_LINES.length] as string;
    if (b % 5 === 2) {
      turns.push({ kind: 'long_answer', text: long, voice: voice() });
      turns.push({ kind: 'noise', text: '', voice: { engine: 'real', name: 'white noise' } });
    }
    if (b % 5 === 4) {
      turns.push({ kind: 'long_answer', text: long, voice: voice() });
      // one voice for every "um": about 210 ms of speech, under the agent's 300 ms minimum interruption
      turns.push({ kind: 'um', text: 'um', voice: { engine: 'flite', name: 'awb' } });
    }
    turns.push({ kind: 'long_answer', text: long, voice: voice() });
    turns.push({
      kind: 'barge_in',
      text: BARGE_IN_LINES[b % BARGE_IN_LINES.length] as string,
      voice: voice(),
    });
  }
  return turns;
}
