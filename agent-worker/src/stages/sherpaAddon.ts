import { createRequire } from 'node:module';
import { CodedError } from '@voiceroom/protocol';

/** sherpa-onnx-node, loaded on first use so that a machine without its native addon still runs other providers. */
// biome-ignore lint/suspicious/noExplicitAny: the addon ships no type declarations
export type SherpaOnnx = any;

let addon: SherpaOnnx | undefined;

export function loadSherpaOnnx(): SherpaOnnx {
  if (addon) return addon;
  try {
    addon = createRequire(import.meta.url)('sherpa-onnx-node');
    return addon;
  } catch (error) {
    throw new CodedError(
      'sherpa_unavailable',
      `sherpa-onnx-node cannot be loaded (${(error as Error).message}); reinstall it or pick another provider`,
    );
  }
}
