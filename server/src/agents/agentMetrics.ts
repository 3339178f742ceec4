import type { MetricsRegistry } from '../http/metrics.ts';
import type { AgentGateway } from './AgentGateway.ts';

/**
 * Prometheus metrics of the agent gateway: registered workers and their capacity, live and waiting calls, and
 * counters of ended sessions (by reason) and handoff requests. Returns a function that stops counting.
 */
export function registerAgentMetrics(
  registry: Pick<MetricsRegistry, 'gauge' | 'counter'>,
  gateway: Pick<AgentGateway, 'workers' | 'sessions' | 'waitingCalls' | 'on' | 'off'>,
): () => void {
  registry.gauge(
    'voiceroom_agent_workers',
    'Agent workers connected and registered.',
    [],
    () => gateway.workers.length,
  );
  registry.gauge('voiceroom_agent_capacity', 'Calls the registered agent workers can run at once.', [], () =>
    gateway.workers.reduce((sum, w) => sum + w.capacity, 0),
  );
  registry.gauge(
    'voiceroom_agent_sessions',
    'Agent sessions by state (dispatching or live).',
    ['state'],
    () => {
      const live = gateway.sessions.filter((s) => s.live).length;
      return [
        { labels: { state: 'live' }, value: live },
        { labels: { state: 'dispatching' }, value: gateway.sessions.length - live },
      ];
    },
  );
  registry.gauge(
    'voiceroom_agent_calls_waiting',
    'Calls waiting for an agent worker with capacity.',
    [],
    () => gateway.waitingCalls,
  );
  const ended = registry.counter('voiceroom_agent_sessions_ended_total', 'Agent sessions ended, by reason.', [
    'reason',
  ]);
  const handoffs = registry.counter(
    'voiceroom_agent_handoffs_total',
    'Handoffs to a human requested by the AI.',
  );
  // Reasons like "agent_left:transport_closed" keep only their kind, so label values stay few.
  const onEnded = ({ reason }: { reason: string }) => ended.inc({ reason: reason.split(':')[0] ?? reason });
  const onHandoff = () => handoffs.inc();
  gateway.on('sessionended', onEnded);
  gateway.on('handoff', onHandoff);
  return () => {
    gateway.off('sessionended', onEnded);
    gateway.off('handoff', onHandoff);
  };
}
