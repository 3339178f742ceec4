import { readFileSync } from 'node:fs';
import { type AgentConfig, AgentConfigSchema } from '@voiceroom/sdk/protocol';
import { parse } from 'yaml';

/** The default agent (agent-worker/agents/pizzeria.yaml), which the NLU and dialog tests run against. */
export function pizzeria(): AgentConfig {
  return AgentConfigSchema.parse(
    parse(readFileSync(new URL('../../agents/pizzeria.yaml', import.meta.url), 'utf8')),
  );
}
