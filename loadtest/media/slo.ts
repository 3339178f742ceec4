/** Which load steps held their service-level objective, and the last one that did before the first that broke. */

export interface AgentSlo {
  v2v_p95_ms: number;
  /** Share of turns answered (0..1). */
  answered: number;
}

export const AGENT_SLO: AgentSlo = { v2v_p95_ms: 800, answered: 0.99 };
/** SFU steps hold while pooled consumer loss stays under this share (0.5%). */
export const SFU_MAX_LOSS = 0.005;
/** A mediasoup worker is one thread: at this share of a core (percent) it is saturated. */
export const SFU_SATURATED_CPU_PERCENT = 95;

export interface SfuStepResult {
  /** The larger of sequence-gap loss and the share of packets not delivered within the window. */
  effective_loss: number;
  cpu: { mediasoup_worker: number };
}

/** Why an SFU step broke (too much loss, or a worker at a full core), or null when it held. */
export function sfuStepViolation(step: SfuStepResult): string | null {
  if (step.effective_loss >= SFU_MAX_LOSS) return `loss ${step.effective_loss} >= ${SFU_MAX_LOSS}`;
  if (step.cpu.mediasoup_worker >= SFU_SATURATED_CPU_PERCENT)
    return `mediasoup worker at ${step.cpu.mediasoup_worker}% of a core (saturated)`;
  return null;
}

export interface AgentStepResult {
  calls: number;
  v2v_ms: { p50: number | null; p95: number | null };
  answered: number;
}

/** Why an agent step broke its SLO, or null when it held. A step with no measured turn never holds. */
export function agentStepViolation(step: AgentStepResult, slo: AgentSlo = AGENT_SLO): string | null {
  if (step.v2v_ms.p95 === null) return 'no turn was answered';
  if (step.v2v_ms.p95 > slo.v2v_p95_ms) return `v2v p95 ${step.v2v_ms.p95} ms > ${slo.v2v_p95_ms} ms`;
  if (step.answered < slo.answered) return `answered ${step.answered} < ${slo.answered}`;
  return null;
}

/**
 * The load of the last step that held before the first step that broke (steps in the order they ran, load
 * rising); 0 when the first step already broke. A later step that holds again after a break does not count: the
 * capacity is where it first fails.
 */
export function lastStepHolding<T>(
  steps: readonly T[],
  load: (s: T) => number,
  holds: (s: T) => boolean,
): number {
  let last = 0;
  for (const step of steps) {
    if (!holds(step)) break;
    last = load(step);
  }
  return last;
}
