/**
 * `npm run extract -- FILE [--agent AGENT.yaml]`: extracts customer and order details from a transcript file (a JSON
 * array of {speaker, text}) and prints them as JSON. Uses DeepSeek when DEEPSEEK_API_KEY is set, the local model when
 * LLM_MODEL_PATH is set, otherwise the rule-based extractor. Exit codes: 0 ok, 1 extraction failed, 2 bad input.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultAgent } from '@voiceroom/agent-core/agents';
import { type AgentConfig, AgentConfigSchema, CodedError, formatZodError } from '@voiceroom/protocol';
import { parse as parseYaml } from 'yaml';
import { createExtractor, type ExtractionConfig } from './factory.ts';
import { TranscriptFileSchema, type TranscriptLine } from './schema.ts';

class CliError extends CodedError {
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode = 2) {
    super(code, message);
    this.exitCode = exitCode;
  }
}

const USAGE = 'usage: npm run extract -- TRANSCRIPT.json [--agent AGENT.yaml]';

function readTranscript(file: string): TranscriptLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'does not exist'
        : `cannot be read (${(error as Error).message})`;
    throw new CliError('transcript_not_found', `transcript file ${file} ${reason}; ${USAGE}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      'transcript_not_json',
      `transcript file ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = TranscriptFileSchema.safeParse(json);
  if (!parsed.success) {
    const { message } = formatZodError(parsed.error, {
      what: `transcript file ${file} must be a JSON array of {"speaker": "customer"|"agent"|"human", "text": string}`,
      limit: 5,
    });
    throw new CliError('transcript_invalid', message);
  }
  return parsed.data;
}

function readAgent(file: string | undefined): AgentConfig {
  if (file === undefined) return defaultAgent();
  try {
    return AgentConfigSchema.parse(parseYaml(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new CliError('agent_invalid', `agent file ${file} could not be used: ${(error as Error).message}`);
  }
}

function extractionConfigFromEnv(env: NodeJS.ProcessEnv): ExtractionConfig {
  return {
    deepseekBaseUrl: (env.DEEPSEEK_BASE_URL ?? 'https://api.deepseek.com').replace(/\/+$/, ''),
    deepseekModel: env.DEEPSEEK_MODEL ?? 'deepseek-chat',
    ...(env.DEEPSEEK_API_KEY ? { deepseekApiKey: env.DEEPSEEK_API_KEY } : {}),
    ...(env.LLM_MODEL_PATH ? { localModelPath: env.LLM_MODEL_PATH } : {}),
    maxAttempts: 1,
  };
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { agent: { type: 'string' } },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new CliError('usage', USAGE);
  const transcript = readTranscript(file);
  const agent = readAgent(values.agent);
  const extractor = await createExtractor(extractionConfigFromEnv(process.env))(agent);
  let result: Awaited<ReturnType<typeof extractor.extract>>;
  try {
    result = await extractor.extract(transcript, AbortSignal.timeout(120_000));
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'extraction_failed';
    throw new CliError(code, `extraction with ${extractor.source} failed: ${(error as Error).message}`, 1);
  }
  process.stdout.write(`${JSON.stringify({ source: extractor.source, ...result }, null, 2)}\n`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const cliError =
    error instanceof CliError ? error : new CliError('usage', `${(error as Error).message}; ${USAGE}`);
  process.stderr.write(`${JSON.stringify({ error: { code: cliError.code, message: cliError.message } })}\n`);
  process.exitCode = cliError.exitCode;
}
