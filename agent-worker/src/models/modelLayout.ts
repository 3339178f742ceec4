import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from '@voiceroom/protocol';

/**
 * The file layouts of the model directories sherpa-onnx providers load (as unpacked by `npm run models`), and
 * the check that tells which files are missing. Pure apart from listing the directory.
 */
export type ModelKind = 'zipformer-streaming' | 'whisper' | 'moonshine' | 'piper' | 'kokoro';

export interface ResolvedModel {
  kind: ModelKind;
  dir: string;
  /** Role -> absolute path (encoder, decoder, joiner, tokens, model, voices, dataDir, ...). */
  files: Record<string, string>;
}

interface Role {
  role: string;
  /** Matches a file name in the directory (the first match in sorted order wins; int8 variants preferred). */
  pattern: RegExp;
  description: string;
  directory?: boolean;
}

const LAYOUTS: Record<ModelKind, Role[]> = {
  'zipformer-streaming': [
    { role: 'encoder', pattern: /^encoder.*\.onnx$/, description: 'encoder*.onnx' },
    { role: 'decoder', pattern: /^decoder.*\.onnx$/, description: 'decoder*.onnx' },
    { role: 'joiner', pattern: /^joiner.*\.onnx$/, description: 'joiner*.onnx' },
    { role: 'tokens', pattern: /^tokens\.txt$/, description: 'tokens.txt' },
  ],
  whisper: [
    { role: 'encoder', pattern: /-encoder(\.int8)?\.onnx$/, description: '<name>-encoder.onnx' },
    { role: 'decoder', pattern: /-decoder(\.int8)?\.onnx$/, description: '<name>-decoder.onnx' },
    { role: 'tokens', pattern: /-tokens\.txt$/, description: '<name>-tokens.txt' },
  ],
  moonshine: [
    { role: 'preprocessor', pattern: /^preprocess\.onnx$/, description: 'preprocess.onnx' },
    { role: 'encoder', pattern: /^encode(\.int8)?\.onnx$/, description: 'encode.onnx' },
    {
      role: 'uncachedDecoder',
      pattern: /^uncached_decode(\.int8)?\.onnx$/,
      description: 'uncached_decode.onnx',
    },
    { role: 'cachedDecoder', pattern: /^cached_decode(\.int8)?\.onnx$/, description: 'cached_decode.onnx' },
    { role: 'tokens', pattern: /^tokens\.txt$/, description: 'tokens.txt' },
  ],
  piper: [
    { role: 'model', pattern: /\.onnx$/, description: '<voice>.onnx' },
    { role: 'tokens', pattern: /^tokens\.txt$/, description: 'tokens.txt' },
    { role: 'dataDir', pattern: /^espeak-ng-data$/, description: 'espeak-ng-data/', directory: true },
  ],
  kokoro: [
    { role: 'model', pattern: /\.onnx$/, description: 'model.onnx' },
    { role: 'voices', pattern: /^voices\.bin$/, description: 'voices.bin' },
    { role: 'tokens', pattern: /^tokens\.txt$/, description: 'tokens.txt' },
    { role: 'dataDir', pattern: /^espeak-ng-data$/, description: 'espeak-ng-data/', directory: true },
  ],
};

/** Which kinds each provider family accepts, most specific first (detection order). */
export const ASR_KINDS: readonly ModelKind[] = ['moonshine', 'zipformer-streaming', 'whisper'];
export const TTS_KINDS: readonly ModelKind[] = ['kokoro', 'piper'];

export class ModelLayoutError extends CodedError<
  'model_dir_missing' | 'model_files_missing' | 'model_kind_unknown'
> {
  readonly missing: string[];

  constructor(code: ModelLayoutError['code'], message: string, missing: string[] = []) {
    super(code, message);
    this.name = 'ModelLayoutError';
    this.missing = missing;
  }
}

/** Matches a directory listing against one layout: the resolved files, or the descriptions of those missing. */
export function matchLayout(
  kind: ModelKind,
  entries: readonly { name: string; directory: boolean }[],
): { files: Record<string, string>; missing: string[] } {
  const sorted = [...entries].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  const files: Record<string, string> = {};
  const missing: string[] = [];
  const used = new Set<string>();
  for (const role of LAYOUTS[kind]) {
    const hit = sorted.find(
      (e) => e.directory === (role.directory ?? false) && role.pattern.test(e.name) && !used.has(e.name),
    );
    if (hit) {
      files[role.role] = hit.name;
      used.add(hit.name);
    } else {
      missing.push(role.description);
    }
  }
  return { files, missing };
}

/** int8 files first (smaller and faster on CPU), then the rest. */
function rank(name: string): number {
  return name.includes('.int8.') ? 0 : 1;
}

/**
 * Checks a model directory. With `kind` the directory must have that layout; without, the first kind in
 * `candidates` whose files are all present is taken. Errors name the missing files.
 */
export function resolveModelDir(
  dir: string,
  candidates: readonly ModelKind[],
  kind?: ModelKind,
): ResolvedModel {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ModelLayoutError(
      'model_dir_missing',
      `model directory ${dir} does not exist; download it with \`npm run models\` (needs internet) or pick an offline provider`,
    );
  }
  const entries = readdirSync(dir, { withFileTypes: true }).map((e) => ({
    name: e.name,
    directory: e.isDirectory(),
  }));
  const kinds = kind ? [kind] : candidates;
  const attempts = kinds.map((k) => ({ kind: k, ...matchLayout(k, entries) }));
  const complete = attempts.find((a) => a.missing.length === 0);
  if (complete) {
    const files = Object.fromEntries(
      Object.entries(complete.files).map(([role, name]) => [role, join(dir, name)]),
    );
    return { kind: complete.kind, dir, files };
  }
  const closest = [...attempts].sort((a, b) => a.missing.length - b.missing.length)[0];
  if (!closest || closest.missing.length === LAYOUTS[closest.kind].length) {
    throw new ModelLayoutError(
      'model_kind_unknown',
      `${dir} holds no recognised model (${kinds.join(', ')}); expected for example ` +
        kinds.map((k) => `${k}: ${LAYOUTS[k].map((r) => r.description).join(' + ')}`).join('; '),
    );
  }
  throw new ModelLayoutError(
    'model_files_missing',
    `${dir} looks like a ${closest.kind} model but lacks ${closest.missing.join(', ')}; re-run \`npm run models\``,
    closest.missing,
  );
}
