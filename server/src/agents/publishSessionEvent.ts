import type { SessionCallEvent } from '@voiceroom/protocol';
import type { CallEventBus } from '../CallEventBus.ts';

/**
 * Puts a validated session event on the call bus under the session's own room id (a worker cannot speak for another
 * room). Handoff requests go to `onHandoff`; `end_call` needs nothing here (the worker follows with session.ended).
 */
export function publishSessionEvent(
  bus: CallEventBus,
  roomId: string,
  event: SessionCallEvent,
  onHandoff: (reason: string) => void,
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
      onHandoff(event.reason);
      break;
    case 'end_call':
      break;
  }
}
