/**
 * `npm run bench:capacity` -> bench/results/capacity.json: concurrent agent calls ramped step by step until the SLO
 * (voice-to-voice p95 <= 800 ms, >= 99% of turns answered) breaks, then SFU consumers per mediasoup worker ramped
 * until loss reaches 0.5%; each reports the last step that held. CPU per process from /proc over each step's steady
 * window, the generator's own included so readers can correct for it. `--only agent|sfu` runs one part (the other
 * keeps its last figures; CAPACITY_PARTS=agent,sfu does the same). CAPACITY_AGENT_STEPS, CAPACITY_SFU_STEPS
 * (comma-separated) and CAPACITY_STEP_S (seconds per agent step) scale it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { runAgentLoad } from './agentLoad.ts';
import { ArgumentError, parseCapacityParts } from './args.ts';
import { RESULTS_DIR } from './resultsDir.ts';
import { runSfuLoad } from './sfuLoad.ts';
import { AGENT_SLO, agentStepViolation, lastStepHolding, SFU_MAX_LOSS, sfuStepViolation } from './slo.ts';
import { startStack } from './stack.ts';

const SFU_LISTENERS_PER_ROOM = 10;

function steps(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const values = raw.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name} must be comma-separated whole numbers, e.g. 1,2,4; got "${raw}"`);
  return values;
}

const log = (line: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ bench: 'capacity', ...line })}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;

async function agentCalls(callSteps: number[], stepS: number) {
  const stack = await startStack({
    agentCapacity: Math.max(...callSteps) + 1,
    existingBaseUrl: process.env.BASE_URL,
  });
  const results = [];
  let memory: {
    agent_worker_idle: number | null;
    agent_worker_per_call: number | null;
    server_per_call: number | null;
  } = {
    agent_worker_idle: null,
    agent_worker_per_call: null,
    server_per_call: null,
  };
  try {
    for (const calls of callSteps) {
      const run = await runAgentLoad(stack, {
        callers: calls,
        durationS: stepS,
        rampS: Math.min(10, calls),
        perPage: 8,
      });
      const step = {
        calls,
        v2v_ms: { p50: run.v2v_ms?.p50 ?? null, p95: run.v2v_ms?.p95 ?? null },
        answered: run.answered_ratio,
        v2v_ms_after_first_turn: {
          p50: run.v2v_ms_after_first_turn?.p50 ?? null,
          p95: run.v2v_ms_after_first_turn?.p95 ?? null,
        },
        agent_stage_ms: run.agent_stage_ms,
        turns: run.turns,
        failed_callers: run.failed,
        loss: { downlink: run.downlink_loss, uplink: run.uplink_loss },
        join_ms_p95: run.join_ms?.p95 ?? null,
        cpu: run.cpu_percent_of_core,
        rss_mb: run.rss_mb?.loaded ?? null,
        load_average: run.load_average,
        violation: null as string | null,
        violation_after_first_turn: null as string | null,
      };
      step.violation = agentStepViolation(step);
      step.violation_after_first_turn = agentStepViolation({ ...step, v2v_ms: step.v2v_ms_after_first_turn });
      results.push(step);
      if (run.rss_mb && memory.agent_worker_idle === null) {
        memory = {
          agent_worker_idle: run.rss_mb.before.agent_worker,
          agent_worker_per_call: round1(
            (run.rss_mb.loaded.agent_worker - run.rss_mb.before.agent_worker) / calls,
          ),
          server_per_call: round1((run.rss_mb.loaded.server - run.rss_mb.before.server) / calls),
        };
      } else if (run.rss_mb && memory.agent_worker_idle !== null) {
        // per call from the largest step so far: its loaded RSS over the idle one
        memory.agent_worker_per_call = round1(
          (run.rss_mb.loaded.agent_worker - memory.agent_worker_idle) / calls,
        );
      }
      log({ step: 'agent', ...step });
      // ramping goes on while the calls' later turns hold (the first turn alone may break the SLO at any load)
      if (step.violation && step.violation_after_first_turn) break;
    }
  } finally {
    await stack.close();
  }
  return {
    agent_calls: {
      max_concurrent_at_slo: lastStepHolding(
        results,
        (s) => s.calls,
        (s) => s.violation === null,
      ),
      slo: AGENT_SLO,
      max_concurrent_at_slo_after_first_turn: lastStepHolding(
        results,
        (s) => s.calls,
        (s) => s.violation_after_first_turn === null,
      ),
      steps: results,
    },
    memory,
  };
}

async function sfuConsumers(consumerSteps: number[]) {
  const results = [];
  for (const consumers of consumerSteps) {
    const rooms = Math.max(1, Math.round(consumers / SFU_LISTENERS_PER_ROOM));
    const run = await runSfuLoad({ rooms, listeners: SFU_LISTENERS_PER_ROOM, durationS: 20, rampS: 3 });
    const step = {
      consumers: run.consumers,
      rooms,
      loss: run.loss,
      worst_consumer_loss: run.worst_consumer_loss,
      delivered: run.delivered,
      effective_loss: Math.max(run.loss, Math.round((1 - run.delivered) * 1e4) / 1e4),
      udp_rcvbuf_errors_machine_wide: run.udp_rcvbuf_errors_machine_wide,
      consumers_receiving_nothing: run.consumers_receiving_nothing,
      mean_packet_bytes: run.mean_packet_bytes,
      cpu: run.cpu_percent_of_core,
      load_average: run.load_average,
      violation: null as string | null,
    };
    step.violation = sfuStepViolation(step);
    results.push(step);
    log({ step: 'sfu', ...step });
    if (step.violation) break;
  }
  return {
    consumers_per_worker_at_loss_0_5pct: lastStepHolding(
      results,
      (s) => s.consumers,
      (s) => s.violation === null,
    ),
    listeners_per_room: SFU_LISTENERS_PER_ROOM,
    srtp: true,
    listener_bots: 'rtpsink (Go): one UDP socket per consumer, SO_RCVBUF 1 MB, a goroutine per socket',
    speaker_stream: 'real Opus (libopus, 20 ms frames, 32 kbps) of the caller utterances, replayed per room',
    holds_when: `effective_loss < ${SFU_MAX_LOSS} and the mediasoup worker below a saturated core: effective_loss is the larger of sequence-gap loss at the listeners and 1 - delivered (packets that arrived in the 15 s window over packets sent in it). A backlog anywhere counts: read the step CPU figures (mediasoup_worker, listener_bots, generator) to tell which`,
    steps: results,
  };
}

async function main(): Promise<void> {
  const agentSteps = steps('CAPACITY_AGENT_STEPS', [1, 2, 4, 6, 8, 12, 16, 20, 24, 32]);
  const sfuSteps = steps('CAPACITY_SFU_STEPS', [250, 500, 1000, 1500, 2000, 2500, 3000, 4000]);
  const stepS = Number(process.env.CAPACITY_STEP_S ?? 45);
  const loadAtStart = loadavg().map(round1);
  const parts = parseCapacityParts(process.argv.slice(2), process.env.CAPACITY_PARTS);
  const file = path.join(RESULTS_DIR, 'capacity.json');
  // a part not run this time keeps its figures from the last run
  const previous = JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));
  const { agent_calls, memory } = parts.includes('agent')
    ? await agentCalls(agentSteps, stepS)
    : { agent_calls: previous.agent_calls ?? null, memory: previous.memory_mb ?? null };
  const sfu = parts.includes('sfu') ? await sfuConsumers(sfuSteps) : (previous.sfu ?? null);
  const result = {
    agent_calls,
    sfu,
    memory_mb: memory,
    machine: { cores: (await import('node:os')).cpus().length, load_average_at_start: loadAtStart },
    cpu_note:
      "percent of one core per process group over each step's steady window; the machine is shared, so figures are pessimistic",
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${JSON.stringify({
      max_concurrent_agent_calls_at_slo: agent_calls?.max_concurrent_at_slo ?? null,
      sfu_consumers_per_worker_at_loss_0_5pct: sfu?.consumers_per_worker_at_loss_0_5pct ?? null,
      memory_mb: memory,
      written: path.relative(process.cwd(), file),
    })}\n`,
  );
}

main().catch((error) => {
  if (error instanceof ArgumentError) {
    process.stderr.write(`${JSON.stringify({ error: error.code, message: error.message })}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
