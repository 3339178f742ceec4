import { LockMode } from '@mikro-orm/core';
import { defaultProviderPolicy } from '@voiceroom/agent-core';
import { agentsDir, loadAgentsDir, validateAgentConfig } from '@voiceroom/agent-core/agents';
import {
  type AgentConfig,
  type AgentConfigInput,
  assertProviderPolicy,
  type ProviderPolicy,
} from '@voiceroom/protocol';
import { AgentConfigEntity } from '../db/entities/index.ts';
import type { MikroORM } from '../db/orm.ts';

/** Where agent configurations live; the server and the agent gateway only need these four operations. */
export interface AgentConfigStore {
  get(id: string): Promise<AgentConfig | undefined>;
  list(): Promise<AgentConfig[]>;
  /**
   * Validates (schema and the operator's provider policy: ProviderPolicyError), then creates or replaces the
   * configuration with this id.
   */
  put(input: AgentConfigInput): Promise<AgentConfig>;
  /** False when there was none. */
  delete(id: string): Promise<boolean>;
}

export interface StoredAgentConfig {
  config: AgentConfig;
  version: number;
  updatedAt: Date;
}

/**
 * Agent configurations in MySQL (table agent_configs), validated on the way in and on the way out; provider settings
 * the operator's policy refuses are not stored (a configuration stored before the policy changed is still readable,
 * so an admin can fix it; the dialog checks the policy again before use).
 */
export class MySqlAgentConfigStore implements AgentConfigStore {
  readonly #orm: MikroORM;
  readonly #providers: ProviderPolicy;

  /** `providers` defaults to the policy in this process's environment. */
  constructor(orm: MikroORM, options: { providers?: ProviderPolicy } = {}) {
    this.#orm = orm;
    this.#providers = options.providers ?? defaultProviderPolicy();
  }

  async get(id: string): Promise<AgentConfig | undefined> {
    return (await this.getStored(id))?.config;
  }

  /** The configuration with its version (incremented on every put) and last update time. */
  async getStored(id: string): Promise<StoredAgentConfig | undefined> {
    const row = await this.#orm.em.fork().findOne(AgentConfigEntity, { id });
    return row
      ? { config: validateAgentConfig(row.config), version: row.version, updatedAt: row.updatedAt }
      : undefined;
  }

  async list(): Promise<AgentConfig[]> {
    const rows = await this.#orm.em.fork().find(AgentConfigEntity, {}, { orderBy: { id: 'asc' } });
    return rows.map((row) => validateAgentConfig(row.config));
  }

  async put(input: AgentConfigInput): Promise<AgentConfig> {
    const config = validateAgentConfig(input);
    assertProviderPolicy(config, this.#providers);
    await this.#orm.em.fork().transactional(async (em) => {
      const existing = await em.findOne(
        AgentConfigEntity,
        { id: config.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (existing) {
        existing.name = config.name;
        existing.config = config;
        existing.version += 1;
      } else {
        em.create(AgentConfigEntity, {
          id: config.id,
          name: config.name,
          config,
          version: 1,
          createdAt: new Date(),
          updatedAt: new Date(),
        });
      }
    });
    return config;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.#orm.em.fork().nativeDelete(AgentConfigEntity, { id })) > 0;
  }

  /**
   * When no agent is stored yet, imports every *.yaml in `dir` (default the configured agents folder, which holds the
   * pizzeria agent `npm start` runs). Returns the ids imported.
   */
  async seedDefaults(dir: string = agentsDir()): Promise<string[]> {
    if ((await this.#orm.em.fork().count(AgentConfigEntity, {})) > 0) return [];
    const ids: string[] = [];
    for (const config of loadAgentsDir(dir)) {
      await this.put(config);
      ids.push(config.id);
    }
    return ids;
  }
}
