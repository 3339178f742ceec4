/** A registered worker as the dispatcher sees it. */
export interface WorkerLoad {
  id: string;
  capacity: number;
  active: number;
}

/**
 * The least-loaded worker with room left (lowest active/capacity; ties go to the larger capacity, then the
 * lowest id for determinism), or null when every worker is full.
 */
export function pickLeastLoaded<W extends WorkerLoad>(workers: Iterable<W>): W | null {
  let best: W | null = null;
  for (const worker of workers) {
    if (worker.active >= worker.capacity) continue;
    if (best === null) {
      best = worker;
      continue;
    }
    const load = worker.active / worker.capacity;
    const bestLoad = best.active / best.capacity;
    if (
      load < bestLoad ||
      (load === bestLoad &&
        (worker.capacity > best.capacity || (worker.capacity === best.capacity && worker.id < best.id)))
    ) {
      best = worker;
    }
  }
  return best;
}
