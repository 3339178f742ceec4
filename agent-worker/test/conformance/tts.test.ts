import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelsDir } from '@voiceroom/agent-core';
import { EspeakTts } from '../../src/stages/tts/espeak/EspeakTts.ts';
import { FliteTts } from '../../src/stages/tts/flite/FliteTts.ts';
import { KokoroTts } from '../../src/stages/tts/kokoro/KokoroTts.ts';
import { SherpaOnnxTts } from '../../src/stages/tts/sherpa/SherpaOnnxTts.ts';
import { describeTtsConformance } from './tts.conformance.ts';

describeTtsConformance('flite kal16', () => FliteTts.create({ voice: 'kal16' }));
describeTtsConformance('flite slt', () => FliteTts.create({ voice: 'slt' }));
describeTtsConformance('espeak-ng', async () => new EspeakTts({ voice: 'en-us' }));

// Neural voices need model files that cannot be downloaded here (`npm run models` installs them elsewhere).
const modelsDir = defaultModelsDir();
const kokoroSherpa = join(modelsDir, 'kokoro-en');
describeTtsConformance(
  'sherpa-onnx kokoro',
  () => SherpaOnnxTts.create({ modelDir: kokoroSherpa }),
  existsSync(kokoroSherpa) ? undefined : `no model in ${kokoroSherpa}; run \`npm run models kokoro-en\``,
);
const kokoroJs = join(modelsDir, 'kokoro-82m-onnx');
describeTtsConformance(
  'kokoro-js',
  () => KokoroTts.create({ modelDir: kokoroJs }),
  existsSync(kokoroJs) ? undefined : `no Kokoro-82M ONNX copy in ${kokoroJs} and kokoro-js is optional`,
);
