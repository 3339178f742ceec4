/**
 * Robustness benchmark: `npm run bench:robustness -- [--calls N] [--seed S] [--voices ...] [--snr ...] [--bed ...]`. Generated
 * order conversations (conversation.ts) spoken by many TTS voices at several speaking rates and noise levels, played
 * by a real Chromium caller through the real server, SFU and agent worker; each call scored on its read-back, its
 * stored extraction and its timing as heard in the page (score.ts). Writes bench/results/robustness.json, prints
 * the summary (without per-call detail) on stdout; one progress line per call on stderr.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultAgent } from '@voiceroom/agent-core/agents';
import { launchCallBrowser, makeSpeechWav } from '../../test/helpers/browser.ts';
import { installScriptedMicrophone } from '../voiceMicrophone.ts';
import { AgentEvents } from './AgentEvents.ts';
import type { BedMode } from './callerAudio.ts';
import { conversationAt, OptionsError, parseOptions } from './options.ts';
import { runRobustnessCall } from './robustnessCall.ts';
import { type CallRecord, fieldAccuracy, itemsF1, summarize, taskSucceeded } from './score.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'robustness.json');

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: 'robustness', msg, ...extra })}\n`);

async function writeResults(calls: readonly CallRecord[], seed: number, bed: BedMode) {
  const result = {
    ...summarize(calls),
    seed,
    bed,
    load_average: loadavg().map((l) => Math.round(l * 10) / 10),
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  process.env.LOG_LEVEL ??= 'warn';
  const { startTestApp } = await import('../../test/helpers/app.ts');
  const { buildClientPage } = await import('../../test/helpers/clientPage.ts');
  const agent = defaultAgent();
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-robustness-'));
  const unusedWav = await makeSpeechWav('unused', workDir, { name: 'unused' });
  const clientDir = await buildClientPage(path.join(workDir, 'client')).catch((error: unknown) => {
    log('client build failed, serving client/dist', { error: String(error) });
    return undefined;
  });
  const app = await startTestApp({
    ...(clientDir ? { clientDir } : {}),
    agent: { pipeline: 'voice', capacity: 2 },
  });
  const events = new AgentEvents(app.server.bus);
  const staffToken = async () =>
    (
      await app.server.tokens.issueAccessToken({
        id: randomUUID(),
        email: 'robustness-bench@voiceroom.local',
        role: 'supervisor',
      })
    ).token;
  const browser = await launchCallBrowser({ fakeAudioWav: unusedWav });
  await installScriptedMicrophone(browser.context);
  const cleanUp = async () => {
    await browser.close();
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  };
  // Ctrl-C mid-run still stops the agent worker, drops the test database and removes the audio
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log('interrupted, cleaning up', { signal });
      void cleanUp().finally(() => process.exit(130));
    });
  const calls: CallRecord[] = [];
  const started = performance.now();
  try {
    for (let i = options.from; i < options.from + options.calls; i++) {
      const conversation = conversationAt(options, agent, i);
      const record = await runRobustnessCall(
        {
          page: browser.page,
          pageUrl: `${app.url}/`,
          apiUrl: app.url,
          staffToken,
          events,
          menu: agent.menu,
          workDir,
          bed: options.bed,
          onLine: (line) => log('line', { call: i + 1, line }),
        },
        conversation,
      );
      calls.push(record);
      log('call', {
        call: i + 1,
        of: options.from + options.calls,
        voice: record.voice,
        noise: record.noise,
        outcome: record.outcome,
        task_success: taskSucceeded(record),
        field_accuracy: Math.round(fieldAccuracy(record) * 100) / 100,
        items_f1: Math.round(itemsF1(record.intended.items, record.extracted?.items ?? []) * 100) / 100,
        turns: record.utterances,
        elapsed_s: Math.round((performance.now() - started) / 1000),
        ...(record.error ? { error: record.error } : {}),
      });
      // written after every call, so a run cut short keeps what it measured
      await writeResults(calls, options.seed, options.bed);
    }
    const result = await writeResults(calls, options.seed, options.bed);
    const { per_call: _perCall, ...summary } = result;
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } catch (error) {
    log('failed', { error: String(error), agentOutput: app.agentOutput().slice(-3000) });
    throw error;
  } finally {
    await cleanUp();
  }
}

main().catch((error) => {
  if (error instanceof OptionsError) {
    process.stderr.write(`bench:robustness: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
