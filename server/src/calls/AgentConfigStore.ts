import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LockMode } from '@mikro-orm/core';
import type { AgentConfig, AgentConfigInput } from '@voiceroom/sdk/protocol';
import { REPO_ROOT } from '../config.ts';
import { AgentConfigEntity } from '../db/entities/index.ts';
import type { MikroORM } from '../db/orm.ts';
import { parseAgentYaml, validateAgentConfig } from './agentYaml.ts';

/** Where agent configurations live; the server and the agent gateway only need these four operations. */
export interface AgentConfigStore {
  get(id: string): Promise<AgentConfig | undefined>;
  list(): Promise<AgentConfig[]>;
  /** Validates, then creates or replaces the configuration with this id. */
  put(input: AgentConfigInput): Promise<AgentConfig>;
  /** False when there was none. */
  delete(id: string): Promise<boolean>;
}

export interface StoredAgentConfig {
  config: AgentConfig;
  version: number;
  updatedAt: Date;
}

export const DEFAULT_AGENTS_DIR = path.join(REPO_ROOT, 'agent-worker', 'agents');

/** Agent configurations in MySQL (table agent_configs), validated on the way in and on the way out. */
export class MySqlAgentConfigStore implements AgentConfigStore {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
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
   * When no agent is stored yet, imports every *.yaml in `dir` (default agent-worker/agents, which holds the
   * pizzeria agent `npm start` runs). Returns the ids imported.
   */
  async seedDefaults(dir: string = DEFAULT_AGENTS_DIR): Promise<string[]> {
    if ((await this.#orm.em.fork().count(AgentConfigEntity, {})) > 0) return [];
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
    const ids: string[] = [];
    for (const file of files) {
      const config = parseAgentYaml(await readFile(path.join(dir, file), 'utf8'));
      await this.put(config);
      ids.push(config.id);
    }
    return ids;
  }
}
