/**
 * Whole-conversation dialog benchmark: `npm run bench:dialog -- [--calls N] [--from I] [--seed S] [--voices a,b]
 * [--snr clean,20] [--denoise]`. The fast offline loop under bench:robustness: the same generated conversations and scripted
 * caller, each caller line rendered exactly as the robustness caller's (voice, rate, noise) and fed at 16 kHz to the
 * pizzeria agent's PocketSphinx recogniser (CallRecogniser.ts: one stream on a fresh decoder per call, the slot model
 * the pipeline would pick after the agent's reply), and what it heard (text, alternatives, confidence) answered by
 * the agent's real dialog, whose reply the caller answers next (dialogCall.ts). After each call the server's rules
 * extractor (the default without a model) reads its transcript, as it does after a real call, and the fields are
 * scored on what it stores. `--denoise`: the lines go through the agent's noise suppressor before the recogniser.
 * No browser, SFU, VAD, endpointing or agent TTS: seconds per call.
 * Writes bench/results/dialog.json (every call with its transcript); the summary on stdout, one line per call on
 * stderr.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { createDialog } from '@voiceroom/agent-core/dialog';
import type { CallTracker } from '@voiceroom/agent-core/nlu';
import type { DialogSession } from '@voiceroom/agent-core/stages';
import { withDialablePhone } from '../../server/src/extraction/dialablePhone.ts';
import { RulesExtractor } from '../../server/src/extraction/rules/index.ts';
import { runBench, writeBenchResult } from '../benchResult.ts';
import { conversationAt, parseOptions, takeSwitch, withOptionsErrors } from '../robustness/options.ts';
import { CallRecogniser } from './CallRecogniser.ts';
import { type DialogCallRecord, type Extract, runDialogCall } from './dialogCall.ts';
import { callScores, summarizeDialogCalls } from './summary.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'dialog.json');
const progress = (message: string) => process.stderr.write(`[bench:dialog] ${message}\n`);

/** The scripted session's order and customer at the end of the call (it keeps them in its call tracker). */
function held(session: DialogSession): DialogCallRecord['held'] {
  const tracker = (session as { tracker?: CallTracker }).tracker;
  if (!tracker) return null;
  const { name, address, phone } = tracker.customer;
  const items = tracker.order.lines.map((l) => ({ name: l.name, size: l.size, quantity: l.quantity }));
  return { items, name, address, phone };
}

/** The server's rules extraction of a transcript as the server stores it (withDialablePhone), as score.ts compares it. */
function rulesExtraction(config: ReturnType<typeof loadAgentFile>): Extract {
  const extractor = new RulesExtractor({ menu: config.menu, knowledge: config.knowledge });
  return async (transcript) => {
    const result = withDialablePhone(await extractor.extract(transcript, new AbortController().signal));
    const items = result.items.map((i) => ({ name: i.name, size: i.size, quantity: i.quantity }));
    const { name, address, phone } = result.customer;
    return { items, name, address, phone };
  };
}

async function main(): Promise<void> {
  const denoise = takeSwitch(process.argv.slice(2), '--denoise');
  const options = parseOptions(['--calls', '12', ...denoise.rest]);
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const dialog = await createDialog(config);
  const recogniser = await CallRecogniser.create(config, { denoise: denoise.on });
  const calls: DialogCallRecord[] = [];
  const started = performance.now();
  try {
    for (let index = options.from; index < options.from + options.calls; index++) {
      const conversation = conversationAt(options, config, index);
      const hearing = recogniser.call(conversation);
      const session = dialog.createSession();
      const record = await runDialogCall(conversation, {
        session,
        greeting: config.greeting,
        menu: config.menu,
        hear: hearing.hear,
        readHeld: held,
        extract: rulesExtraction(config),
      });
      session.close();
      hearing.close();
      calls.push(record);
      const scores = callScores(record);
      progress(
        `${index + 1}/${options.from + options.calls} ${record.voice} ${record.noise}: ${record.outcome}, ` +
          `${record.turns} turns, task ${scores.task_success ? 'ok' : 'failed'}, ` +
          `fields ${scores.field_accuracy.toFixed(2)} (${Math.round((performance.now() - started) / 1000)} s)`,
      );
    }
  } finally {
    await recogniser.close();
  }
  await writeBenchResult(
    RESULTS,
    { seed: options.seed, from: options.from, denoise: denoise.on, ...summarizeDialogCalls(calls) },
    ['per_call', 'by_voice', 'by_snr'],
  );
}

runBench(() => withOptionsErrors('bench:dialog', main));
