import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfig } from '@voiceroom/protocol';
import { loadAgentFile } from './agentYaml.ts';

/** The agents folder shipped with the product (agents/ at the repository root). */
export const BUILTIN_AGENTS_DIR = fileURLToPath(new URL('../../../../agents', import.meta.url));

/** The default agent: the pizzeria, used when no other agent is named. */
export const DEFAULT_AGENT_FILE = resolve(BUILTIN_AGENTS_DIR, 'pizzeria.yaml');

/** The one configured agents folder: AGENTS_DIR, else the built-in agents/. */
export function agentsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AGENTS_DIR ? resolve(env.AGENTS_DIR) : BUILTIN_AGENTS_DIR;
}

let defaultConfig: AgentConfig | undefined;

/** The default agent's configuration (read once): for transcripts whose agent is unknown, tests and benchmarks. */
export function defaultAgent(): AgentConfig {
  defaultConfig ??= loadAgentFile(DEFAULT_AGENT_FILE);
  return defaultConfig;
}
