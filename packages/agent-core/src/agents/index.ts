export { agentsDir, BUILTIN_AGENTS_DIR, DEFAULT_AGENT_FILE, defaultAgent } from './agentsDir.ts';
export {
  AgentConfigError,
  loadAgentFile,
  loadAgentsDir,
  parseAgentYaml,
  toAgentYaml,
  validateAgentConfig,
} from './agentYaml.ts';
