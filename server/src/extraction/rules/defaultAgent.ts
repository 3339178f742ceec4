import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type AgentConfig, AgentConfigSchema } from '@voiceroom/sdk/protocol';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../config.ts';

export const DEFAULT_AGENT_FILE = path.join(REPO_ROOT, 'agent-worker', 'agents', 'pizzeria.yaml');

let cached: AgentConfig | undefined;

/** The default agent (the pizzeria), for transcripts whose agent is unknown. Read once. */
export function defaultAgent(): AgentConfig {
  cached ??= AgentConfigSchema.parse(parse(readFileSync(DEFAULT_AGENT_FILE, 'utf8')));
  return cached;
}
