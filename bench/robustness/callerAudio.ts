/**
 * The robustness caller's voice: an utterance's pieces synthesized by flite or espeak-ng at the conversation's
 * speaking rate, joined with its pauses, and background noise (pink from sox's synth, or babble: other TTS voices
 * talking at once) mixed in with sox at the conversation's SNR. 48 kHz mono 16-bit PCM, what the scripted
 * microphone plays.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALL_VOICES, type Conversation, type Noise, type Utterance, type Voice } from './conversation.ts';

const run = promisify(execFile);
const RATE = 48_000;
const RAW = ['-r', String(RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw'];
/** flite speaks at about this many words per minute with duration_stretch 1. */
const FLITE_WPM = 170;
/** Noise before and after the speech, so the agent hears the noise start and stop apart from the speech. */
export const NOISE_PAD_MS = 300;
/** Seconds of pink noise made once per call; utterances take stretches of it. */
const PINK_BED_S = 30;

export interface CallerAudio {
  pcm: Int16Array;
  /** Where the speech starts and ends in `pcm`, in ms (noise pads around it). */
  speechStartMs: number;
  speechEndMs: number;
}

/** A rendered utterance: its audio, and where each of its spoken pieces is in it (ms; its pauses lie between). */
export interface UtteranceAudio extends CallerAudio {
  piecesMs: { startMs: number; endMs: number }[];
}

let counter = 0;

async function toPcm(file: string, dir: string): Promise<Int16Array> {
  const out = path.join(dir, `pcm${counter++}.s16`);
  // trims leading and trailing near-silence (under 1% of full scale)
  await run('sox', [
    '-R',
    file,
    ...RAW,
    out,
    'silence',
    '1',
    '0.01',
    '1%',
    'reverse',
    'silence',
    '1',
    '0.01',
    '1%',
    'reverse',
  ]);
  const bytes = await readFile(out);
  await rm(out);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
}

/**
 * Hums that flite and espeak-ng read out as letters ("mm hmm" as "em em aitch em em", five syllables no caller says),
 * spelled as the sounds a caller makes.
 */
const HUMS: readonly (readonly [RegExp, string])[] = [
  [/\bm+ ?h+m+\b/g, 'um hum'],
  [/\bh+m+\b/g, 'hum'],
];

/** `text` as a caller would sound it, for a TTS front-end (see HUMS). */
export function speakable(text: string): string {
  return HUMS.reduce((t, [hum, sound]) => t.replace(hum, sound), text);
}

/** `text` in `voice` at `wpm`, 48 kHz PCM with the silence around it cut. */
export async function synthesize(said: string, voice: Voice, wpm: number, dir: string): Promise<Int16Array> {
  const text = speakable(said);
  const wav = path.join(dir, `tts${counter++}.wav`);
  if (voice.engine === 'flite')
    await run('flite', [
      '-voice',
      voice.name,
      '--setf',
      `duration_stretch=${(FLITE_WPM / wpm).toFixed(2)}`,
      '-t',
      text,
      '-o',
      wav,
    ]);
  else await run('espeak-ng', ['-v', voice.name, '-s', String(wpm), '-w', wav, text]);
  try {
    return await toPcm(wav, dir);
  } finally {
    await rm(wav, { force: true });
  }
}

function concat(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const silence = (ms: number) => new Int16Array(Math.round((ms * RATE) / 1000));

export function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const v of pcm) sum += v * v;
  return pcm.length === 0 ? 0 : Math.sqrt(sum / pcm.length);
}

/** The gain that puts noise of RMS `noiseRms` at `snrDb` under speech of RMS `speechRms`. */
export function noiseGain(speechRms: number, noiseRms: number, snrDb: number): number {
  return noiseRms === 0 ? 0 : speechRms / (noiseRms * 10 ** (snrDb / 20));
}

/**
 * How a call's noise plays. 'pads': only NOISE_PAD_MS around each caller line, at the line's SNR, with digital silence
 * between lines and while the agent speaks (the figures recorded up to session 8). 'continuous': through the whole
 * call, as a real room's noise goes on, at one level for the call (the SNR against the caller's voice).
 */
export type BedMode = 'pads' | 'continuous';

/** What the caller's voice level is measured on for a continuous bed's level: a typical order line. */
const LEVEL_LINE = 'I would like a large pepperoni pizza and two cokes for delivery please';

/** The RMS of speech where it sounds (above 1% of full scale): its level, not its pauses'. */
const speechRms = (speech: Int16Array) => rms(speech.filter((v) => Math.abs(v) > 300));

/** A noise bed source for one call: pink noise, or babble made once from other voices. */
export class NoiseBed {
  readonly #noise: Noise;
  readonly #dir: string;
  readonly #babbleVoices: readonly Voice[];
  /** A continuous bed's caller (voice and speaking rate), whose level sets the bed's. */
  readonly #caller: { voice: Voice; wpm: number } | undefined;
  #source: Int16Array | undefined;
  #roomGain: number | undefined;
  /** A continuous bed: where in the source the next stretch starts. */
  #cursor = 0;

  constructor(
    noise: Noise,
    dir: string,
    babbleVoices: readonly Voice[],
    continuous?: { voice: Voice; wpm: number },
  ) {
    this.#noise = noise;
    this.#dir = dir;
    this.#babbleVoices = babbleVoices;
    this.#caller = continuous;
  }

  async #sourcePcm(): Promise<Int16Array> {
    this.#source ??= this.#noise.kind === 'pink' ? await this.#makePink() : await this.#makeBabble();
    return this.#source;
  }

  /**
   * `ms` of the bed. Pads: starting at a place picked from `key` (the speech's length), so that utterances hear
   * different stretches of it and the same utterance always the same one: runs are repeatable and comparable.
   * Continuous: where the last stretch ended, so that lines played one after another hear one unbroken bed.
   */
  async #bed(ms: number, key: number): Promise<Int16Array> {
    const source = await this.#sourcePcm();
    const need = Math.round((ms * RATE) / 1000);
    const start = this.#caller ? this.#cursor : (key * 7919) % source.length;
    if (this.#caller) this.#cursor = (start + need) % source.length;
    const out = new Int16Array(need);
    for (let i = 0; i < need; i++) out[i] = source[(start + i) % source.length] as number;
    return out;
  }

  /** A continuous bed's gain: the call's SNR under the caller's voice, measured once on LEVEL_LINE. */
  async #continuousGain(caller: { voice: Voice; wpm: number }): Promise<number> {
    if (this.#roomGain === undefined) {
      const voice = await synthesize(LEVEL_LINE, caller.voice, caller.wpm, this.#dir);
      const snrDb = this.#noise.kind === 'clean' ? 0 : this.#noise.snrDb;
      this.#roomGain = noiseGain(speechRms(voice), rms(await this.#sourcePcm()), snrDb);
    }
    return this.#roomGain;
  }

  /**
   * A continuous bed's whole source at the call's level, for a microphone to loop through the call; undefined for a
   * clean call or a bed that plays in pads.
   */
  async room(): Promise<Int16Array | undefined> {
    if (!this.#caller || this.#noise.kind === 'clean') return undefined;
    const gain = await this.#continuousGain(this.#caller);
    return (await this.#sourcePcm()).map((v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
  }

  async #makePink(): Promise<Int16Array> {
    const out = path.join(this.#dir, `pink${counter++}.s16`);
    await run('sox', ['-R', '-n', ...RAW, out, 'synth', String(PINK_BED_S), 'pinknoise']);
    const bytes = await readFile(out);
    await rm(out);
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  }

  /** Several voices saying other order lines at once, summed (each at its own level) into one track. */
  async #makeBabble(): Promise<Int16Array> {
    const lines = [
      'can I get two cokes and a garlic bread for pickup',
      'how late are you open tonight and do you take cards',
      'I wanted the veggie one but with extra cheese please',
      'my address is the blue house at the end of the road',
    ];
    const voices = await Promise.all(
      this.#babbleVoices.map((v, i) => synthesize(lines[i % lines.length] as string, v, 170, this.#dir)),
    );
    const length = Math.max(...voices.map((v) => v.length));
    const sum = new Int16Array(length);
    for (const [k, v] of voices.entries())
      for (let i = 0; i < length; i++)
        sum[i] = Math.max(
          -32768,
          Math.min(32767, (sum[i] as number) + (v[(i + k * 4801) % v.length] as number) / voices.length),
        );
    return sum;
  }

  /**
   * `speech` padded with NOISE_PAD_MS on both sides and the noise mixed in with sox: at the bed's SNR under this
   * speech (pads) or at the call's level (continuous).
   */
  async mix(speech: Int16Array): Promise<CallerAudio> {
    if (this.#noise.kind === 'clean')
      return { pcm: speech, speechStartMs: 0, speechEndMs: (speech.length * 1000) / RATE };
    const padded = concat([silence(NOISE_PAD_MS), speech, silence(NOISE_PAD_MS)]);
    const bed = await this.#bed((padded.length * 1000) / RATE, speech.length);
    const gain = this.#caller
      ? await this.#continuousGain(this.#caller)
      : noiseGain(speechRms(speech), rms(bed), this.#noise.snrDb);
    const speechFile = path.join(this.#dir, `speech${counter++}.s16`);
    const noiseFile = path.join(this.#dir, `noise${counter++}.s16`);
    const outFile = path.join(this.#dir, `mix${counter++}.s16`);
    await writeFile(speechFile, Buffer.from(padded.buffer, padded.byteOffset, padded.byteLength));
    await writeFile(noiseFile, Buffer.from(bed.buffer, bed.byteOffset, bed.byteLength));
    // -R: sox's dither is otherwise random, and no two runs of a benchmark would hear the same audio
    await run('sox', [
      '-R',
      '-m',
      ...RAW,
      '-v',
      '1',
      speechFile,
      ...RAW,
      '-v',
      gain.toFixed(5),
      noiseFile,
      ...RAW,
      outFile,
    ]);
    const bytes = await readFile(outFile);
    await Promise.all([rm(speechFile), rm(noiseFile), rm(outFile)]);
    return {
      pcm: new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2),
      speechStartMs: NOISE_PAD_MS,
      speechEndMs: NOISE_PAD_MS + (speech.length * 1000) / RATE,
    };
  }
}

/**
 * A robustness call's noise: its condition, with babble from three other voices picked by the call's index, played
 * as `mode` says.
 */
export function callNoiseBed(c: Conversation, dir: string, mode: BedMode = 'pads'): NoiseBed {
  const babble = ALL_VOICES.filter((v) => v.name !== c.voice.name).filter((_, i) => i % 3 === c.index % 3);
  const caller = { voice: c.voice, wpm: c.wpm };
  return new NoiseBed(c.noise, dir, babble.slice(0, 3), mode === 'continuous' ? caller : undefined);
}

/**
 * An utterance in the caller's voice: its pieces with their pauses, then the call's noise. `noiseTailMs`: the noise
 * goes on that much longer after the speech (a room whose noise does not stop with the caller); the call's own
 * rendering has none.
 */
export async function renderUtterance(
  utterance: Utterance,
  voice: Voice,
  wpm: number,
  noise: NoiseBed,
  dir: string,
  noiseTailMs = 0,
): Promise<UtteranceAudio> {
  const pieces = await Promise.all(utterance.segments.map((s) => synthesize(s, voice, wpm, dir)));
  const parts = pieces.flatMap((p, i) =>
    i < pieces.length - 1 ? [p, silence(utterance.pausesMs[i] ?? 0)] : [p],
  );
  const speech = concat(parts);
  const audio = await noise.mix(concat([speech, silence(noiseTailMs)]));
  const piecesMs: UtteranceAudio['piecesMs'] = [];
  let at = audio.speechStartMs;
  for (const [i, p] of pieces.entries()) {
    piecesMs.push({ startMs: at, endMs: at + (p.length * 1000) / RATE });
    at += ((p.length + silence(utterance.pausesMs[i] ?? 0).length) * 1000) / RATE;
  }
  return { ...audio, speechEndMs: audio.speechEndMs - noiseTailMs, piecesMs };
}
