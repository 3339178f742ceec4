import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { SttStream } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DecoderPool } from '../../src/stages/stt/pocketsphinx/DecoderPool.ts';
import { loadPocketSphinx, type PocketSphinxLib } from '../../src/stages/stt/pocketsphinx/native.ts';
import { PocketSphinxStream } from '../../src/stages/stt/pocketsphinx/PocketSphinxStream.ts';
import {
  DEFAULT_POCKETSPHINX_MODEL,
  PocketSphinxStt,
} from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { concat, silence, synthesizeSpeech } from './fixtures/speech.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);

/** The real library, counting the native calls a test cares about; `failNextDecode` makes one decode fail. */
function countingLib() {
  const real = loadPocketSphinx();
  const counts = { decodersBuilt: 0, modelsLoaded: 0, decodes: 0, freed: 0 };
  const state = { failNextDecode: false };
  const lib: PocketSphinxLib = {
    ...real,
    createDecoder: (args) => {
      counts.decodersBuilt++;
      return real.createDecoder(args);
    },
    addLanguageModel: (d, name, path) => {
      counts.modelsLoaded++;
      return real.addLanguageModel(d, name, path);
    },
    processRaw: (d, pcm) => {
      counts.decodes++;
      if (state.failNextDecode) {
        state.failNextDecode = false;
        return Promise.reject(new Error('decode failed (test)'));
      }
      return real.processRaw(d, pcm);
    },
    free: (d) => {
      counts.freed++;
      real.free(d);
    },
  };
  return { lib, counts, state };
}

async function firstFinal(stream: SttStream, pcm: Int16Array): Promise<string> {
  const events = stream[Symbol.asyncIterator]();
  stream.pushAudio(pcm);
  stream.endUtterance();
  for (let r = await events.next(); !r.done; r = await events.next())
    if (r.value.type === 'final') return r.value.text;
  return '';
}

describe('pocketsphinx decoders shared by the calls of a process', () => {
  let stt: PocketSphinxStt;
  let pcm: Int16Array;
  beforeAll(async () => {
    stt = await PocketSphinxStt.create({ domain: pizzeria });
    pcm = concat(silence(200), await synthesizeSpeech('a large pepperoni pizza', 'flite'), silence(300));
  }, 180_000);
  afterAll(() => stt?.close());

  function pool(lib: PocketSphinxLib, maxIdle: number, spares = 0) {
    const args = {
      '-hmm': `${DEFAULT_POCKETSPHINX_MODEL}/en-us`,
      '-lm': stt.model.languageModel,
      '-dict': stt.model.dictionary,
      '-logfn': '/dev/null',
    };
    return new DecoderPool({ lib, decoderArgs: args, maxIdle, spares, slotModels: stt.model.slotModels });
  }

  function call(decoders: DecoderPool, errors: Error[] = []) {
    return new PocketSphinxStream({
      decoders,
      partialIntervalMs: 250,
      coldStartSecondPass: true,
      slotModels: stt.model.slotModels,
      onError: (error) => errors.push(error),
    });
  }

  it('a call after another takes its decoder: nothing built or loaded again, and the first utterance decoded once on the carried-over means', async () => {
    const { lib, counts } = countingLib();
    const decoders = pool(lib, 2);
    const first = call(decoders);
    expect(await firstFinal(first, pcm)).toContain('pepperoni');
    first.close();
    const firstCall = { ...counts };
    expect(firstCall.decodersBuilt).toBe(1);
    expect(firstCall.modelsLoaded).toBe(Object.keys(stt.model.slotModels).length);
    await expect.poll(() => decoders.idle, { timeout: 5_000 }).toBe(1);

    const second = call(decoders);
    expect(await firstFinal(second, pcm)).toContain('pepperoni');
    second.close();
    expect(counts.decodersBuilt).toBe(1);
    expect(counts.modelsLoaded).toBe(firstCall.modelsLoaded);
    // one decode for the audio, none for a second pass (the first call had one more)
    expect(counts.decodes - firstCall.decodes).toBe(firstCall.decodes - 1);
    await expect.poll(() => decoders.idle, { timeout: 5_000 }).toBe(1);
    decoders.close();
    await expect.poll(() => counts.freed, { timeout: 5_000 }).toBe(1);
  }, 60_000);

  it('keeps no more idle decoders than allowed: with none, every call builds and frees its own', async () => {
    const { lib, counts } = countingLib();
    const decoders = pool(lib, 0);
    for (let i = 0; i < 2; i++) {
      const stream = call(decoders);
      await firstFinal(stream, pcm);
      stream.close();
      await expect.poll(() => counts.freed, { timeout: 5_000 }).toBe(i + 1);
    }
    expect(counts.decodersBuilt).toBe(2);
    expect(decoders.idle).toBe(0);
  }, 60_000);

  it('a decoder that failed in its call is freed, not handed to the next call', async () => {
    const { lib, counts, state } = countingLib();
    const decoders = pool(lib, 2);
    const errors: Error[] = [];
    const broken = call(decoders, errors);
    state.failNextDecode = true;
    await firstFinal(broken, pcm);
    broken.close();
    await expect.poll(() => counts.freed, { timeout: 5_000 }).toBe(1);
    expect(errors.map((e) => e.message)).toContain('decode failed (test)');
    expect(decoders.idle).toBe(0);
    const next = call(decoders);
    expect(await firstFinal(next, pcm)).toContain('pepperoni');
    next.close();
    expect(counts.decodersBuilt).toBe(2);
  }, 60_000);

  it('a spare built ahead serves the next call with nothing built or loaded then, and the call that took it has another built', async () => {
    const { lib, counts } = countingLib();
    const decoders = pool(lib, 4, 1);
    await decoders.prepare();
    expect(decoders.idle).toBe(1);
    const slots = Object.keys(stt.model.slotModels).length;
    expect(counts).toMatchObject({ decodersBuilt: 1, modelsLoaded: slots });

    const first = call(decoders);
    expect(counts).toMatchObject({ decodersBuilt: 1, modelsLoaded: slots });
    expect(await firstFinal(first, pcm)).toContain('pepperoni');
    // the spare that replaces it, built in the background while the call goes on
    await expect.poll(() => decoders.idle, { timeout: 15_000 }).toBe(1);
    expect(counts).toMatchObject({ decodersBuilt: 2, modelsLoaded: 2 * slots });
    first.close();
    await expect.poll(() => decoders.idle, { timeout: 5_000 }).toBe(2);
    decoders.close();
    await expect.poll(() => counts.freed, { timeout: 5_000 }).toBe(2);
  }, 60_000);

  it('the recogniser builds one decoder for calls one after another', async () => {
    const before = stt.decoders.created;
    for (let i = 0; i < 3; i++) {
      const stream = stt.createStream();
      expect(await firstFinal(stream, pcm)).toContain('pepperoni');
      stream.close();
      await expect.poll(() => stt.decoders.idle, { timeout: 5_000 }).toBeGreaterThan(0);
    }
    expect(stt.decoders.created - before).toBeLessThanOrEqual(1);
  }, 60_000);

  it("builds the spelling grammar's search only while a call waits for the name, over one copy of the grammar for all calls", async () => {
    const lib = loadPocketSphinx();
    const reads = vi.spyOn(lib, 'readGrammar');
    const adds = vi.spyOn(lib, 'addGrammar');
    const removes = vi.spyOn(lib, 'removeSearch');
    const ofName = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.filter((c) => c[1] === 'name');
    const spelled = concat(silence(200), await synthesizeSpeech('J O H N', 'flite', 'slt'), silence(300));
    const calls = [stt.createStream(), stt.createStream()];
    for (const call of calls) await firstFinal(call, pcm);
    expect(ofName(adds)).toHaveLength(0);

    for (const call of calls) {
      call.expect?.('name');
      expect(await firstFinal(call, spelled)).toMatch(/\bj o h n\b/);
    }
    expect(ofName(adds)).toHaveLength(2);
    expect(reads.mock.calls.filter(([, path]) => String(path).endsWith('grammar-name.fsg'))).toHaveLength(1);

    for (const call of calls) {
      call.expect?.('yesno');
      await firstFinal(call, pcm);
      call.close();
    }
    expect(ofName(removes)).toHaveLength(2);
    vi.restoreAllMocks();
  }, 120_000);
});
