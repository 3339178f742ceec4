/**
 * Drives `clients` concurrent customers (each session after session) and `staff` human agents against a server
 * for `durationS` seconds, with a progress line every few seconds; returns the run's figures.
 */
import { type SignalingLoadResult, SignalingLoadStats } from './SignalingLoadStats.ts';
import { runCustomerSession } from './virtualCustomer.ts';
import { runStaffRound } from './virtualStaff.ts';

export interface SignalingLoadOptions {
  baseUrl: string;
  clients: number;
  staff: number;
  durationS: number;
  /** Hostile messages per customer session. */
  hostilePerSession: number;
  staffCredentials?: { email: string; password: string };
  onProgress?: (line: Record<string, number>) => void;
  progressEveryMs?: number;
}

export async function runSignalingLoad(options: SignalingLoadOptions): Promise<SignalingLoadResult> {
  const stats = new SignalingLoadStats();
  const startedAt = performance.now();
  const deadline = startedAt + options.durationS * 1000;
  let ssrc = 10_000;
  const customer = async () => {
    while (performance.now() < deadline) {
      await runCustomerSession(options.baseUrl, stats, {
        ssrc: ssrc++,
        hostileCount: options.hostilePerSession,
      });
    }
  };
  const staff = async (credentials: { email: string; password: string }) => {
    while (performance.now() < deadline) {
      await runStaffRound(options.baseUrl, stats, credentials);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const progress = setInterval(() => {
    options.onProgress?.({
      elapsed_s: Math.round((performance.now() - startedAt) / 1000),
      requests: stats.requests,
      sessions: stats.sessionsCompleted,
    });
  }, options.progressEveryMs ?? 5_000);
  try {
    await Promise.all([
      ...Array.from({ length: options.clients }, customer),
      ...(options.staffCredentials
        ? Array.from({ length: options.staff }, () =>
            staff(options.staffCredentials as { email: string; password: string }),
          )
        : []),
    ]);
  } finally {
    clearInterval(progress);
  }
  return stats.result(options.clients, Math.round((performance.now() - startedAt) / 100) / 10);
}
