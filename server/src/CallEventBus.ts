import { EventEmitter } from 'node:events';
import type {
  AgentStateEvent,
  StageFailedEvent,
  TranscriptEvent,
  TurnMetricsEvent,
} from '@voiceroom/protocol';

/**
 * The server's in-process bus of call lifecycle events. Media (rooms, participants), the agent gateway
 * (transcripts, state, metrics) and co-pilot actions publish here; the call recorder, the live console and the
 * room relays subscribe. Listeners must not throw: the bus catches and logs so one subscriber cannot break another.
 */
export interface CallEventMap {
  'room.created': { roomId: string; agentId: string | null };
  'room.closed': { roomId: string; reason: string };
  'participant.joined': {
    roomId: string;
    peerId: string;
    identity: string;
    displayName: string;
    role: string;
  };
  'participant.left': { roomId: string; peerId: string; reason: string };
  transcript: TranscriptEvent;
  'agent.state': AgentStateEvent;
  'turn.metrics': TurnMetricsEvent;
  'stage.failed': StageFailedEvent;
}

export type CallEventName = keyof CallEventMap;

export class CallEventBus {
  readonly #emitter = new EventEmitter();
  readonly #onListenerError: (event: CallEventName, error: unknown) => void;

  constructor(onListenerError: (event: CallEventName, error: unknown) => void = () => {}) {
    this.#emitter.setMaxListeners(100);
    this.#onListenerError = onListenerError;
  }

  on<E extends CallEventName>(
    event: E,
    listener: (payload: CallEventMap[E]) => void | Promise<void>,
  ): () => void {
    const wrapped = (payload: CallEventMap[E]) => {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((error) => this.#onListenerError(event, error));
      } catch (error) {
        this.#onListenerError(event, error);
      }
    };
    this.#emitter.on(event, wrapped);
    return () => this.#emitter.off(event, wrapped);
  }

  emit<E extends CallEventName>(event: E, payload: CallEventMap[E]): void {
    this.#emitter.emit(event, payload);
  }
}
