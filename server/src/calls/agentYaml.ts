import {
  type AgentConfig,
  AgentConfigSchema,
  CodedError,
  type FieldIssue,
  formatZodError,
} from '@voiceroom/sdk/protocol';
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

/** Parses and validates a YAML agent configuration (agent-worker/agents/*.yaml format). */
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
