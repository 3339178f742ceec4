import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AgentConfig,
  AgentConfigSchema,
  CodedError,
  type FieldIssue,
  formatZodError,
} from '@voiceroom/protocol';
import { parse, stringify } from 'yaml';

/** An agent configuration that failed to parse or validate; `issues` (also the HTTP details) name each bad field. */
export class AgentConfigError extends CodedError<'agent_config_invalid'> {
  readonly issues: FieldIssue[];

  constructor(message: string, issues: FieldIssue[] = []) {
    super('agent_config_invalid', message, { details: issues });
    this.name = 'AgentConfigError';
    this.issues = issues;
  }
}

/** Validates a configuration object (from JSON or YAML), applying the schema's defaults. */
export function validateAgentConfig(input: unknown): AgentConfig {
  const parsed = AgentConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { message, issues } = formatZodError(parsed.error, { what: 'Invalid agent configuration', limit: 5 });
  throw new AgentConfigError(`${message}. Fix these fields and try again.`, issues);
}

/** Parses and validates a YAML agent configuration (agents/*.yaml format). */
export function parseAgentYaml(text: string): AgentConfig {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 50 });
  } catch (error) {
    throw new AgentConfigError(`The YAML does not parse: ${(error as Error).message}`);
  }
  return validateAgentConfig(data);
}

export function toAgentYaml(config: AgentConfig): string {
  return stringify(config, { lineWidth: 110 });
}

/** Reads, parses and validates one agent file; errors name the file and each bad field. */
export function loadAgentFile(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AgentConfigError(`Cannot read agent file ${file}: ${(error as Error).message}`);
  }
  try {
    return parseAgentYaml(text);
  } catch (error) {
    if (error instanceof AgentConfigError) {
      throw new AgentConfigError(`${file}: ${error.message}`, error.issues);
    }
    throw error;
  }
}

/** Every *.yaml / *.yml agent in `dir`, in file name order; a bad file or a repeated id fails naming the file. */
export function loadAgentsDir(dir: string): AgentConfig[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const seen = new Set<string>();
  return files.map((name) => {
    const file = join(dir, name);
    const config = loadAgentFile(file);
    if (seen.has(config.id)) throw new AgentConfigError(`${file}: duplicate agent id ${config.id}`);
    seen.add(config.id);
    return config;
  });
}
