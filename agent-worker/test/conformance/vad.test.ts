import { EnergyVad } from '../../src/stages/vad/EnergyVad.ts';
import { SileroVad } from '../../src/stages/vad/SileroVad.ts';
import { describeVadConformance } from './vad.conformance.ts';

describeVadConformance('silero', (timing) => new SileroVad(timing));
describeVadConformance('energy', (timing) => new EnergyVad(timing));
