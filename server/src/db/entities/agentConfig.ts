import { EntitySchema } from '@mikro-orm/core';
import type { AgentConfig } from '@voiceroom/protocol';

/** A stored agent configuration: the validated document plus the columns the list view filters on. */
export interface AgentConfigRecord {
  id: string;
  name: string;
  /** The whole configuration as validated by `AgentConfigSchema`. */
  config: AgentConfig;
  /** Incremented on every update; lets clients detect concurrent edits. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const AgentConfigEntity = new EntitySchema<AgentConfigRecord>({
  name: 'AgentConfigRecord',
  tableName: 'agent_configs',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    name: { type: 'string', length: 120 },
    config: { type: 'json' },
    version: { type: 'integer', default: 1 },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
    updatedAt: { type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
