/** CPU and memory of the processes taking part in a load run: server, mediasoup workers, agent workers, generator. */
import { cpuSecondsOf, descendants, rssMb } from './procStats.ts';
import type { Stack } from './stack.ts';
import { cpuPercent } from './summary.ts';

export type ProcessGroup = 'server' | 'mediasoup_workers' | 'agent_worker' | 'generator';

/** The pids of each group now (the generator is this process and the Chromium it launched). */
export function processGroups(stack: Stack): Record<ProcessGroup, number[]> | undefined {
  if (!stack.pids) return undefined;
  const mediasoup = stack.pids.mediasoupWorkers();
  const system = new Set([stack.pids.server, ...stack.pids.agentWorkers, ...mediasoup]);
  for (const p of descendants(stack.pids.server)) system.add(p.pid);
  const browser = descendants(process.pid)
    .filter((p) => !system.has(p.pid) && p.comm.includes('chrom'))
    .map((p) => p.pid);
  return {
    server: [stack.pids.server],
    mediasoup_workers: mediasoup,
    agent_worker: stack.pids.agentWorkers,
    generator: [process.pid, ...browser],
  };
}

export interface CpuWindow {
  /**
   * Stops the window: percent of one core used by each group while it was open, and by each agent worker process
   * (`agent_worker_each`, in the order of the group's pids: whether the calls were spread over them).
   */
  stop(): Record<ProcessGroup, number> & { agent_worker_each: number[] };
}

export function openCpuWindow(groups: Record<ProcessGroup, number[]>): CpuWindow {
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, cpuSecondsOf(pids)]));
  const workersBefore = groups.agent_worker.map((pid) => cpuSecondsOf([pid]));
  return {
    stop() {
      const wall = (performance.now() - t0) / 1000;
      const perGroup = Object.fromEntries(
        Object.entries(groups).map(([k, pids]) => [
          k,
          cpuPercent(before[k] as number, cpuSecondsOf(pids), wall),
        ]),
      ) as Record<ProcessGroup, number>;
      const each = groups.agent_worker.map((pid, i) =>
        cpuPercent(workersBefore[i] as number, cpuSecondsOf([pid]), wall),
      );
      return { ...perGroup, agent_worker_each: each };
    },
  };
}

/** RSS in MB of each group (summed over its processes). */
export function groupRss(groups: Record<ProcessGroup, number[]>): Record<ProcessGroup, number> {
  return Object.fromEntries(
    Object.entries(groups).map(([k, pids]) => [
      k,
      Math.round(pids.reduce((s, p) => s + (rssMb(p) || 0), 0) * 10) / 10,
    ]),
  ) as Record<ProcessGroup, number>;
}
