/**
 * Recogniser settings sweep over bench:slots' cases:
 * `npm run bench:slots:sweep -- configs.json [--calls N] [--seed S] [--voices a,b] [--snr clean,20]`.
 * configs.json: `[{ "label": "...", "stt": { PocketSphinxSttOptions without domain } }, ...]`.
 * The callers' answers are synthesized once (cached on disk by seed, voices, noise and conversation), then every
 * configuration decodes all of them as fast as it can (no real-time pacing, so no latency figures: use bench:slots
 * for those) and prints one JSON line: accuracy per slot after n-best rescoring, top-1 overall, and CPU seconds per
 * audio second of the whole process (decoding on koffi's thread included).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { Nlu } from '@voiceroom/agent-core/nlu';
import type { SttEvent, SttStream } from '@voiceroom/agent-core/stages';
import {
  PocketSphinxStt,
  type PocketSphinxSttOptions,
} from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { resampleTo16k } from '../../agent-worker/test/stages/fixtures/speech.ts';
import { runBench } from '../benchResult.ts';
import { NoiseBed, renderUtterance } from '../robustness/callerAudio.ts';
import { ALL_VOICES, noiseLabel } from '../robustness/conversation.ts';
import { conversationAt, parseOptions, type RobustnessOptions } from '../robustness/options.ts';
import { SLOT_KINDS, type SlotCase, score, slotCases } from './slotCases.ts';

const FRAME = 320;
const CACHE = path.join(tmpdir(), 'voiceroom-bench-sweep');

interface SweepConfig {
  label: string;
  stt?: Omit<PocketSphinxSttOptions, 'domain'>;
}

interface RenderedConversation {
  voice: string;
  cases: SlotCase[];
  audio: Int16Array[];
}

async function render(options: RobustnessOptions, config: ReturnType<typeof loadAgentFile>) {
  const key = createHash('sha256')
    .update(JSON.stringify([options.seed, options.voices, options.noises]))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(CACHE, key);
  await mkdir(dir, { recursive: true });
  const out: RenderedConversation[] = [];
  for (let index = 0; index < options.calls; index++) {
    const conversation = conversationAt(options, config, index);
    const cases = slotCases(conversation);
    const file = path.join(dir, `${index}.pcm`);
    let audio: Int16Array[];
    try {
      const bytes = await readFile(file);
      const all = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
      const lengths = JSON.parse(await readFile(`${file}.json`, 'utf8')) as number[];
      let offset = 0;
      audio = lengths.map((n) => {
        offset += n;
        return all.slice(offset - n, offset);
      });
    } catch {
      const bed = new NoiseBed(
        conversation.noise,
        dir,
        ALL_VOICES.filter((v) => v.name !== conversation.voice.name).slice(0, 4),
      );
      audio = [];
      for (const c of cases) {
        const rendered = await renderUtterance(c.utterance, conversation.voice, conversation.wpm, bed, dir);
        audio.push(await resampleTo16k(rendered.pcm, 48_000));
      }
      await writeFile(
        file,
        Buffer.concat(audio.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))),
      );
      await writeFile(`${file}.json`, JSON.stringify(audio.map((a) => a.length)));
    }
    out.push({
      voice: `${conversation.voice.name}/${noiseLabel(conversation.noise)}`,
      cases,
      audio,
    });
  }
  return out;
}

async function recognise(stream: SttStream, events: AsyncIterator<SttEvent>, pcm: Int16Array) {
  for (let i = 0; i < pcm.length; i += FRAME) stream.pushAudio(pcm.subarray(i, i + FRAME));
  stream.endUtterance();
  for (let r = await events.next(); !r.done; r = await events.next())
    if (r.value.type === 'final') return r.value;
  throw new Error('the recognition stream ended without a final');
}

async function main(): Promise<void> {
  const [configFile, ...rest] = process.argv.slice(2);
  if (!configFile) throw new Error('usage: npm run bench:slots:sweep -- configs.json [bench:slots options]');
  const configs = JSON.parse(await readFile(configFile, 'utf8')) as SweepConfig[];
  const options = parseOptions(['--calls', String(ALL_VOICES.length * 3), ...rest]);
  const agent = loadAgentFile(DEFAULT_AGENT_FILE);
  const nlu = new Nlu({ menu: agent.menu.items, knowledge: agent.knowledge });
  const conversations = await render(options, agent);
  const audioSeconds = conversations.flatMap((c) => c.audio).reduce((n, a) => n + a.length, 0) / 16_000;
  for (const config of configs) {
    const stt = await PocketSphinxStt.create({ ...config.stt, domain: agent });
    const right = new Map<string, { correct: number; top1: number; of: number }>();
    const count = (key: string, correct: boolean, top1: boolean) => {
      const r = right.get(key) ?? { correct: 0, top1: 0, of: 0 };
      right.set(key, { correct: r.correct + Number(correct), top1: r.top1 + Number(top1), of: r.of + 1 });
    };
    const cpu = process.cpuUsage();
    for (const conversation of conversations) {
      const stream = stt.createStream();
      const events = stream[Symbol.asyncIterator]();
      for (const [i, c] of conversation.cases.entries()) {
        stream.expect?.(c.listenFor);
        const final = await recognise(stream, events, conversation.audio[i] as Int16Array);
        const scored = score(nlu, c, { text: final.text, alternatives: final.alternatives ?? [] });
        count(c.slot, scored.correct, scored.correct_top1);
        count('all', scored.correct, scored.correct_top1);
      }
      stream.close();
    }
    const used = process.cpuUsage(cpu);
    stt.close();
    const ratio = (key: string, of: 'correct' | 'top1') => {
      const r = right.get(key);
      return r ? Number((r[of] / r.of).toFixed(3)) : null;
    };
    const line = {
      label: config.label,
      seed: options.seed,
      calls: options.calls,
      all: ratio('all', 'correct'),
      all_top1: ratio('all', 'top1'),
      ...Object.fromEntries(SLOT_KINDS.map((slot) => [slot, ratio(slot, 'correct')])),
      cpu_per_audio_s: Number(((used.user + used.system) / 1e6 / audioSeconds).toFixed(4)),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

runBench(main);
