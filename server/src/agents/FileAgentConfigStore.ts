import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type AgentConfig, AgentConfigSchema, CodedError, formatZodError } from '@voiceroom/sdk/protocol';
import { parse } from 'yaml';

/** What the agent gateway needs from an agent configuration store (the MySQL store has the same `get`). */
export interface AgentConfigSource {
  get(id: string): Promise<AgentConfig | null | undefined>;
}

export class AgentConfigFileError extends CodedError<'agent_config_invalid'> {
  readonly file: string;

  constructor(file: string, detail: string) {
    super(
      'agent_config_invalid',
      `Agent configuration ${file} is invalid: ${detail}. Fix the file and reload.`,
    );
    this.name = 'AgentConfigFileError';
    this.file = file;
  }
}

/**
 * Agent configurations from a directory of YAML files (agent-worker/agents/*.yaml), validated with the shared
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
    const files = (await readdir(this.#directory)).filter((f) => /\.ya?ml$/.test(f)).sort();
    const configs = new Map<string, AgentConfig>();
    for (const file of files) {
      const full = path.join(this.#directory, file);
      let raw: unknown;
      try {
        raw = parse(await readFile(full, 'utf8'));
      } catch (error) {
        throw new AgentConfigFileError(
          full,
          `not YAML (${error instanceof Error ? error.message : String(error)})`,
        );
      }
      const parsed = AgentConfigSchema.safeParse(raw);
      if (!parsed.success) {
        throw new AgentConfigFileError(
          full,
          formatZodError(parsed.error, { what: 'invalid fields' }).message,
        );
      }
      if (configs.has(parsed.data.id))
        throw new AgentConfigFileError(full, `duplicate agent id ${parsed.data.id}`);
      configs.set(parsed.data.id, parsed.data);
    }
    return configs;
  }
}
