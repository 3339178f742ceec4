import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { AgentConfig } from '@voiceroom/protocol';

/** The default agent (agents/pizzeria.yaml), which the NLU and dialog tests run against. */
export function pizzeria(): AgentConfig {
  return loadAgentFile(DEFAULT_AGENT_FILE);
}
