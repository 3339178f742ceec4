import type { AgentState, CallbackRequest, TypedEmitter } from '@voiceroom/sdk';
import type { LiveCall, StaffRoomTicket } from './ConsoleApi.ts';

/** A human agent's presence, as set in the console. */
export type Availability = 'available' | 'busy' | 'away';

export type Sentiment = 'positive' | 'neutral' | 'negative';

export interface OrderLine {
  name: string;
  size: string | null;
  quantity: number;
}

/** One row of the live call list; a field a source does not know is null (shown as nothing rather than a guess). */
export interface LiveCallRow extends LiveCall {
  aiState: AgentState | null;
  sentiment: Sentiment | null;
  handoffRequested: boolean | null;
  orderSoFar: OrderLine[] | null;
}

/** A call the AI wants a person for, with the summary a human needs to decide. */
export interface HandoffRequest {
  id: string;
  callId: string;
  roomId: string;
  reason: string;
  customerName: string | null;
  sentiment: Sentiment | null;
  orderSoFar: OrderLine[];
  lastTurns: { speaker: 'customer' | 'agent' | 'human'; text: string }[];
  requestedAt: string;
  /** Someone accepted it (null while open). */
  takenBy: string | null;
}

export type ConsoleDataEvents = {
  /** The whole live call list, each time it changes. */
  calls: LiveCallRow[];
  /** The open handoff queue, each time it changes. */
  handoffs: HandoffRequest[];
  availability: Availability;
  /** Callers waiting for a callback (they agreed when nobody took their handoff), each time the list changes. */
  callbacks: CallbackRequest[];
  /** A background refresh failed; `signedOut` when the session could not be renewed. */
  error: { error: unknown; signedOut: boolean };
};

/**
 * Where the console's live data comes from: the live call list, the handoff queue, the callbacks to make and this
 * agent's presence. The
 * console renders what a source emits and never polls or subscribes itself, so a socket feed can replace the REST
 * polling without touching the views.
 */
export interface ConsoleDataSource extends Pick<TypedEmitter<ConsoleDataEvents>, 'on' | 'off'> {
  readonly availability: Availability;
  start(): void;
  stop(): void;
  setAvailability(availability: Availability): Promise<void>;
  /**
   * Claims a handoff for this agent and resolves with the room ticket to join it with; rejects when someone else took
   * it first. The caller then joins in takeover.
   */
  acceptHandoff(request: HandoffRequest): Promise<Pick<StaffRoomTicket, 'token' | 'iceServers' | 'media'>>;
  /** Marks a callback made; it leaves the list. */
  callbackDone(callback: CallbackRequest): Promise<void>;
}
