import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelsDir } from '@voiceroom/agent-core';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { PocketSphinxStt } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { SherpaOnnxStt } from '../../src/stages/stt/sherpa/SherpaOnnxStt.ts';
import { describeSttConformance } from './stt.conformance.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);

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
