import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentConfigSchema } from '@voiceroom/sdk/protocol';
import { parse } from 'yaml';
import { defaultModelsDir } from '../../src/models/modelLayout.ts';
import { PocketSphinxStt } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { SherpaOnnxStt } from '../../src/stages/stt/sherpa/SherpaOnnxStt.ts';
import { describeSttConformance } from './stt.conformance.ts';

const pizzeria = AgentConfigSchema.parse(
  parse(readFileSync(new URL('../../agents/pizzeria.yaml', import.meta.url), 'utf8')),
);

describeSttConformance(
  'pocketsphinx',
  () => PocketSphinxStt.create({ domain: pizzeria, partialIntervalMs: 0 }),
  {
    maxWer: 0.15,
    streaming: true,
  },
);

// sherpa-onnx models cannot be downloaded on this machine; each runs when `npm run models` has installed it.
const modelsDir = defaultModelsDir();
for (const [model, streaming] of [
  ['zipformer-en-20m', true],
  ['moonshine-tiny-en', false],
] as const) {
  const dir = join(modelsDir, model);
  describeSttConformance(
    `sherpa-onnx ${model}`,
    () => SherpaOnnxStt.create({ modelDir: dir }),
    { maxWer: 0.25, streaming },
    existsSync(dir)
      ? undefined
      : `no model in ${dir}; run \`npm run models ${model}\` on a machine with internet`,
  );
}
