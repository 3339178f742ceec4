/**
 * The load page: many virtual callers in one Chromium page, driven by the load generator through
 * `window.loadCallers` (load speech, start callers, read their rows).
 */
import { installMicrophones, loadSpeech } from './microphones.ts';
import { type CallerRow, trackPeerConnections, VirtualCaller } from './VirtualCaller.ts';

trackPeerConnections();
installMicrophones();

const callers: VirtualCaller[] = [];
const running: Promise<void>[] = [];

(window as unknown as { loadCallers: unknown }).loadCallers = {
  loadSpeech,
  start(id: number, durationMs: number, maxTurns?: number): void {
    const caller = new VirtualCaller(id, durationMs, maxTurns);
    callers.push(caller);
    running.push(caller.run());
  },
  rows(): CallerRow[] {
    return callers.map((c) => c.row);
  },
  async finished(): Promise<CallerRow[]> {
    await Promise.all(running);
    return callers.map((c) => c.row);
  },
};
