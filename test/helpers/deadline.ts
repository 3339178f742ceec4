/**
 * Deadlines for the awaits of end-to-end tests. A browser or server call that never settles (a page.evaluate in a
 * page that stopped answering, a close that waits on a connection) otherwise ends as the test's anonymous timeout;
 * bounded here it fails with the name of the step, how long it was given and how long it waited.
 */

/** A step that did not settle within its deadline. */
export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';
}

/** The steps running now, oldest first: a step that times out names those still running inside it. */
const running = new Set<{ what: string; started: number }>();

function stillRunning(since: number, now: number): string {
  const inner = [...running].filter((s) => s.started >= since);
  if (inner.length === 0) return '';
  return `; still running inside it: ${inner.map((s) => `${s.what} (${Math.round(now - s.started)} ms)`).join(', ')}`;
}

/**
 * Settles as `run()` does, or rejects with a StepTimeoutError naming `what` once `ms` have passed (and the steps
 * still running inside it, so a whole test body bounded as one step says where it was).
 */
export function step<T>(what: string, ms: number, run: () => Promise<T>): Promise<T> {
  const entry = { what, started: performance.now() };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const now = performance.now();
      running.delete(entry);
      const waited = `waited ${Math.round(now - entry.started)} ms`;
      const inner = stillRunning(entry.started, now);
      reject(new StepTimeoutError(`${what} did not finish within ${Math.round(ms)} ms (${waited})${inner}`));
    }, ms);
  });
  running.add(entry);
  // a run that throws at once rejects like one that fails later (and the timer is still cleared)
  const result = new Promise<T>((resolve) => resolve(run()));
  return Promise.race([result, late]).finally(() => {
    clearTimeout(timer);
    running.delete(entry);
  });
}

/** A named cleanup action with its deadline, for `withCleanup`. */
export interface CleanupStep {
  what: string;
  ms: number;
  run: () => Promise<unknown>;
}

/**
 * Runs `body`, then every cleanup step in order, each bounded and each run even when an earlier one failed. The
 * body's own error always wins: a cleanup that fails or hangs after a failing body cannot hide why it failed (the
 * cleanup's failure is printed beside it). After a passing body a failed cleanup fails the test, naming every step
 * that failed.
 */
export async function withCleanup<T>(body: () => Promise<T>, cleanup: readonly CleanupStep[]): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await body() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const failures: unknown[] = [];
  for (const { what, ms, run } of cleanup) {
    try {
      await step(what, ms, run);
    } catch (error) {
      failures.push(error);
    }
  }
  if (!outcome.ok) {
    for (const failure of failures) console.error(`cleanup after a failed test body also failed: ${failure}`);
    throw outcome.error;
  }
  if (failures.length > 0) throw new AggregateError(failures, `cleanup failed: ${failures.join('; ')}`);
  return outcome.value;
}
