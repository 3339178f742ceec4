import type { SessionCallEvent } from '@voiceroom/protocol';
import type { CallEventBus } from '../CallEventBus.ts';

/**
 * Puts a validated session event on the call bus under the session's own room id (a worker cannot speak for another
 * room). Handoff and callback requests go to `requests`; `end_call` needs nothing here (the worker follows with
 * session.ended).
 */
export function publishSessionEvent(
  bus: CallEventBus,
  roomId: string,
  event: SessionCallEvent,
  requests: { handoff(reason: string): void; callback(phone: string | null): void },
): void {
  switch (event.type) {
    case 'transcript': {
      const { type: _type, ...transcript } = event;
      bus.emit('transcript', { ...transcript, roomId });
      break;
    }
    case 'agent.state':
      bus.emit('agent.state', { roomId, state: event.state });
      break;
    case 'turn.metrics': {
      const { type: _type, ...metrics } = event;
      bus.emit('turn.metrics', { ...metrics, roomId });
      break;
    }
    case 'stage.failed': {
      const { type: _type, ...failure } = event;
      bus.emit('stage.failed', { ...failure, roomId });
      break;
    }
    case 'handoff':
      requests.handoff(event.reason);
      break;
    case 'callback':
      requests.callback(event.phone);
      break;
    case 'end_call':
      break;
  }
}
