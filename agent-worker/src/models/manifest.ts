import type { ModelKind } from './modelLayout.ts';

export interface ModelEntry {
  /** Directory name under ./models and the name given on the command line. */
  name: string;
  purpose: 'asr' | 'tts' | 'llm';
  /** Layout checked after unpacking (sherpa-onnx kinds), or 'gguf' for a single LLM file. */
  kind: ModelKind | 'gguf';
  description: string;
  licence: string;
  /** Official release location. */
  url: string;
  /** Pinned digest of the downloaded file; the download is refused when it differs. */
  sha256: string;
  /** Exact size in bytes when known (checked before hashing), otherwise only the hash is checked. */
  sizeBytes?: number;
  /** Approximate size for display when the exact one is not pinned. */
  approxMegabytes: number;
  /** For archives: the top directory inside it, whose content goes into ./models/<name>. */
  archiveRoot?: string;
  /** For single files: the file name inside ./models/<name>. */
  fileName?: string;
}

/**
 * Recommended models. The digests and sizes are those of the published release assets as recorded by
 * independent projects that measured them (this repository's build machine has no internet access); a mismatch
 * stops the download and deletes the file, so a changed asset is never used silently.
 */
export const MODEL_MANIFEST: readonly ModelEntry[] = [
  {
    name: 'zipformer-en-20m',
    purpose: 'asr',
    kind: 'zipformer-streaming',
    description: 'streaming Zipformer transducer, English, 20M parameters (partials while the caller speaks)',
    licence: 'Apache-2.0',
    url: 'https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/sherpa-onnx-streaming-zipformer-en-20M-2023-02-17.tar.bz2',
    sha256: '9c559283e8498d3fe95913c79ca1cb454bb26281ac2b102b41306c7d752765d9',
    sizeBytes: 127_887_156,
    approxMegabytes: 122,
    archiveRoot: 'sherpa-onnx-streaming-zipformer-en-20M-2023-02-17',
  },
  {
    name: 'moonshine-tiny-en',
    purpose: 'asr',
    kind: 'moonshine',
    description: 'Moonshine tiny, English, int8 (non-streaming, accurate on short turns)',
    licence: 'MIT',
    url: 'https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/sherpa-onnx-moonshine-tiny-en-int8.tar.bz2',
    sha256: 'd5fe6ec4334fef36255b2a4010412cad4c007e33103fec62fb5d17cad88086f2',
    approxMegabytes: 108,
    archiveRoot: 'sherpa-onnx-moonshine-tiny-en-int8',
  },
  {
    name: 'kokoro-en',
    purpose: 'tts',
    kind: 'kokoro',
    description: 'Kokoro 82M, English, int8, 24 kHz (natural neural voice)',
    licence: 'Apache-2.0',
    url: 'https://github.com/k2-fsa/sherpa-onnx/releases/download/tts-models/kokoro-int8-en-v0_19.tar.bz2',
    sha256: 'c9f0dd393615805b0bab050c340834d5e684e732aec91c0e860cd30e982c08bd',
    sizeBytes: 103_248_205,
    approxMegabytes: 99,
    archiveRoot: 'kokoro-int8-en-v0_19',
  },
  {
    name: 'qwen2.5-0.5b-instruct',
    purpose: 'llm',
    kind: 'gguf',
    description: 'Qwen2.5 0.5B Instruct, Q4_K_M GGUF (local dialog model for node-llama-cpp)',
    licence: 'Apache-2.0',
    url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    sha256: '74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db',
    approxMegabytes: 469,
    fileName: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
  },
];
