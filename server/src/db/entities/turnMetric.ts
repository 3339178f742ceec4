import { EntitySchema } from '@mikro-orm/core';
import { type Call, CallEntity } from './call.ts';

/** Latency of one agent turn, in milliseconds (see `TurnMetricsEventSchema` for what each stage measures). */
export interface TurnMetric {
  id: number;
  call: Call;
  turn: number;
  eouMs: number;
  asrFinalMs: number;
  dialogFirstTokenMs: number;
  ttsFirstAudioMs: number;
  voiceToVoiceMs: number;
  interrupted: boolean;
  createdAt: Date;
}

export const TurnMetricEntity = new EntitySchema<TurnMetric>({
  name: 'TurnMetric',
  tableName: 'turn_metrics',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    call: { kind: 'm:1', entity: () => CallEntity, deleteRule: 'cascade' },
    turn: { type: 'integer' },
    eouMs: { type: 'double' },
    asrFinalMs: { type: 'double' },
    dialogFirstTokenMs: { type: 'double' },
    ttsFirstAudioMs: { type: 'double' },
    voiceToVoiceMs: { type: 'double' },
    interrupted: { type: 'boolean', default: false },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
  },
  uniques: [{ properties: ['call', 'turn'] }],
});
