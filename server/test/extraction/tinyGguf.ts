import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { access, copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/config.ts';

/**
 * Builds a tiny Qwen2-architecture GGUF with random weights and the real Qwen2 tokenizer, for exercising the local
 * LLM path (load, chat template, JSON-schema grammar) where no real model can be downloaded. The tokenizer comes
 * from llama.cpp's vocabulary-only GGUF inside node-llama-cpp's bundled llama.cpp sources. Output is gibberish
 * in grammar-shaped JSON, which is all these tests need.
 */

const BUNDLE = path.join(REPO_ROOT, 'node_modules/node-llama-cpp/llama/gitRelease.bundle');
const VOCAB_FILE = 'models/ggml-vocab-qwen2.gguf';

const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;
const ALIGN = 32;

type Value =
  | { type: 'u32' | 'i32' | 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'str'; value: string }
  | { type: 'strs'; value: string[] }
  | { type: 'i32s'; value: number[] };

class Buf {
  readonly chunks: Buffer[] = [];
  size = 0;
  push(b: Buffer) {
    this.chunks.push(b);
    this.size += b.length;
  }
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  u64(n: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  str(s: string) {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  value(v: Value) {
    switch (v.type) {
      case 'u32':
        this.u32(T.UINT32);
        return this.u32(v.value);
      case 'i32': {
        this.u32(T.INT32);
        const b = Buffer.alloc(4);
        b.writeInt32LE(v.value);
        return this.push(b);
      }
      case 'f32': {
        this.u32(T.FLOAT32);
        const b = Buffer.alloc(4);
        b.writeFloatLE(v.value);
        return this.push(b);
      }
      case 'bool':
        this.u32(T.BOOL);
        return this.push(Buffer.from([v.value ? 1 : 0]));
      case 'str':
        this.u32(T.STRING);
        return this.str(v.value);
      case 'strs':
        this.u32(T.ARRAY);
        this.u32(T.STRING);
        this.u64(v.value.length);
        for (const s of v.value) this.str(s);
        return;
      case 'i32s': {
        this.u32(T.ARRAY);
        this.u32(T.INT32);
        this.u64(v.value.length);
        const b = Buffer.alloc(4 * v.value.length);
        for (const [i, n] of v.value.entries()) b.writeInt32LE(n, i * 4);
        return this.push(b);
      }
    }
  }
}

/** Converts the vocabulary file's tokenizer.* metadata (as node-llama-cpp parsed it) back to typed GGUF values. */
function tokenizerValues(tokenizer: Record<string, unknown>, prefix = 'tokenizer'): [string, Value][] {
  const out: [string, Value][] = [];
  for (const [key, value] of Object.entries(tokenizer)) {
    const name = `${prefix}.${key}`;
    if (Array.isArray(value)) {
      out.push([name, typeof value[0] === 'string' ? { type: 'strs', value } : { type: 'i32s', value }]);
    } else if (typeof value === 'string') out.push([name, { type: 'str', value }]);
    else if (typeof value === 'boolean') out.push([name, { type: 'bool', value }]);
    else if (typeof value === 'number') out.push([name, { type: 'u32', value }]);
    else if (value && typeof value === 'object')
      out.push(...tokenizerValues(value as Record<string, unknown>, name));
  }
  return out;
}

/** Deterministic small random floats (xorshift), so runs are reproducible. */
function randomTensor(count: number, seed: number, scale: number): Buffer {
  const b = Buffer.alloc(count * 4);
  let x = seed | 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeFloatLE(((x >>> 0) / 0xffffffff - 0.5) * 2 * scale, i * 4);
  }
  return b;
}

export interface TinyModel {
  path: string;
  remove(): Promise<void>;
}

/**
 * The model file, generated once and kept in .cache/test-models (gitignored): building it clones the 35 MB
 * llama.cpp bundle, which is too slow to repeat on every run.
 */
export async function tinyQwen2Gguf(): Promise<string> {
  const cached = path.join(REPO_ROOT, '.cache', 'test-models', 'tiny-qwen2-v1.gguf');
  try {
    await access(cached);
    return cached;
  } catch {
    const model = await makeTinyQwen2Gguf();
    await mkdir(path.dirname(cached), { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    await copyFile(model.path, partial);
    await rename(partial, cached);
    await model.remove();
    return cached;
  }
}

export async function makeTinyQwen2Gguf(): Promise<TinyModel> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tiny-gguf-'));
  const src = path.join(dir, 'llama.cpp');
  await promisify(execFile)('git', ['clone', '--quiet', '--no-checkout', BUNDLE, src]);
  await promisify(execFile)('git', ['-C', src, 'checkout', '--quiet', 'HEAD', '--', VOCAB_FILE]);
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const vocab = await readGgufFileInfo(path.join(src, VOCAB_FILE));
  const tokenizer = (vocab.metadata as unknown as { tokenizer: Record<string, unknown> }).tokenizer;
  const nVocab = (tokenizer.ggml as { tokens: string[] }).tokens.length;

  const nEmbd = 32;
  const nHead = 4;
  const nHeadKv = 2;
  const nFf = 64;
  const nLayer = 2;
  const nEmbdKv = (nEmbd / nHead) * nHeadKv;
  const meta: [string, Value][] = [
    ['general.architecture', { type: 'str', value: 'qwen2' }],
    ['general.name', { type: 'str', value: 'tiny-random-qwen2' }],
    ['qwen2.context_length', { type: 'u32', value: 4096 }],
    ['qwen2.embedding_length', { type: 'u32', value: nEmbd }],
    ['qwen2.block_count', { type: 'u32', value: nLayer }],
    ['qwen2.feed_forward_length', { type: 'u32', value: nFf }],
    ['qwen2.attention.head_count', { type: 'u32', value: nHead }],
    ['qwen2.attention.head_count_kv', { type: 'u32', value: nHeadKv }],
    ['qwen2.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-6 }],
    ['qwen2.rope.freq_base', { type: 'f32', value: 1_000_000 }],
    ['general.file_type', { type: 'u32', value: 0 }],
    ...tokenizerValues(tokenizer),
  ];
  const tensors: { name: string; dims: number[]; data: Buffer }[] = [];
  let seed = 1;
  const add = (name: string, dims: number[], norm = false) => {
    const count = dims.reduce((a, b) => a * b, 1);
    const data = norm
      ? Buffer.from(new Float32Array(count).fill(1).buffer)
      : randomTensor(count, seed++, 0.2);
    tensors.push({ name, dims, data });
  };
  add('token_embd.weight', [nEmbd, nVocab]);
  add('output_norm.weight', [nEmbd], true);
  for (let i = 0; i < nLayer; i++) {
    add(`blk.${i}.attn_norm.weight`, [nEmbd], true);
    add(`blk.${i}.attn_q.weight`, [nEmbd, nEmbd]);
    add(`blk.${i}.attn_k.weight`, [nEmbd, nEmbdKv]);
    add(`blk.${i}.attn_v.weight`, [nEmbd, nEmbdKv]);
    add(`blk.${i}.attn_q.bias`, [nEmbd]);
    add(`blk.${i}.attn_k.bias`, [nEmbdKv]);
    add(`blk.${i}.attn_v.bias`, [nEmbdKv]);
    add(`blk.${i}.attn_output.weight`, [nEmbd, nEmbd]);
    add(`blk.${i}.ffn_norm.weight`, [nEmbd], true);
    add(`blk.${i}.ffn_gate.weight`, [nEmbd, nFf]);
    add(`blk.${i}.ffn_up.weight`, [nEmbd, nFf]);
    add(`blk.${i}.ffn_down.weight`, [nFf, nEmbd]);
  }

  const head = new Buf();
  head.push(Buffer.from('GGUF', 'ascii'));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(meta.length);
  for (const [key, value] of meta) {
    head.str(key);
    head.value(value);
  }
  let offset = 0;
  for (const t of tensors) {
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(0); // F32
    head.u64(offset);
    offset += Math.ceil(t.data.length / ALIGN) * ALIGN;
  }
  head.push(Buffer.alloc((ALIGN - (head.size % ALIGN)) % ALIGN));

  const file = path.join(dir, 'tiny-qwen2.gguf');
  const out = createWriteStream(file);
  for (const chunk of head.chunks) out.write(chunk);
  for (const t of tensors) {
    out.write(t.data);
    out.write(Buffer.alloc((ALIGN - (t.data.length % ALIGN)) % ALIGN));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  await rm(src, { recursive: true, force: true });
  return { path: file, remove: () => rm(dir, { recursive: true, force: true }) };
}
