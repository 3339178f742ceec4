import { loadAgentsDir } from '@voiceroom/agent-core/agents';
import type { AgentConfig } from '@voiceroom/protocol';

/** What the agent gateway needs from an agent configuration store (the MySQL store has the same `get`). */
export interface AgentConfigSource {
  get(id: string): Promise<AgentConfig | null | undefined>;
}

/**
 * Agent configurations from a directory of YAML files (agents/*.yaml), validated with the shared
 * schema. Read once and cached; `reload()` re-reads. An invalid file fails loudly with its path and the field.
 */
export class FileAgentConfigStore implements AgentConfigSource {
  readonly #directory: string;
  #configs: Promise<Map<string, AgentConfig>> | null = null;

  constructor(directory: string) {
    this.#directory = directory;
  }

  async get(id: string): Promise<AgentConfig | undefined> {
    return (await this.#load()).get(id);
  }

  async list(): Promise<AgentConfig[]> {
    return [...(await this.#load()).values()];
  }

  reload(): Promise<Map<string, AgentConfig>> {
    this.#configs = null;
    return this.#load();
  }

  #load(): Promise<Map<string, AgentConfig>> {
    this.#configs ??= this.#read().catch((error: unknown) => {
      this.#configs = null;
      throw error;
    });
    return this.#configs;
  }

  async #read(): Promise<Map<string, AgentConfig>> {
    return new Map(loadAgentsDir(this.#directory).map((config) => [config.id, config]));
  }
}
