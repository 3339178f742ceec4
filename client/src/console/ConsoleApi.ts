/**
 * The control-plane calls the agent console makes: login, the live call list, call history and detail, extraction
 * review and a staff room token. A 401 refreshes the session once and retries; concurrent 401s share one refresh
 * (the server rotates refresh tokens and treats a second use of the old one as theft). The refresh token never reaches this page: the server
 * keeps it in an httpOnly SameSite=Strict cookie on /api/auth (an injected script cannot read it); only the
 * short-lived access token is kept in sessionStorage.
 */
import { CodedError, type MediaTicket, MediaTicketSchema } from '@voiceroom/protocol';
import type { CallbackRequest } from '@voiceroom/sdk';

export interface StaffUser {
  id: string;
  email: string;
  role: string;
  displayName: string;
}

interface Session {
  accessToken: string;
  user: StaffUser;
}

export interface LiveCall {
  id: string;
  roomId: string;
  agentId: string | null;
  displayName: string;
  startedAt: string;
}

export interface StoredSegment {
  segmentId: string;
  speaker: 'customer' | 'agent' | 'human';
  text: string;
  startMs: number;
  endMs: number;
  interrupted: boolean;
}

export interface CallSummary extends LiveCall {
  status: string;
  outcome: string | null;
  endReason: string | null;
  endedAt: string | null;
  durationMs: number | null;
  extraction: { jobId: number; status: string; reviewStatus: string } | null;
}

/** GET /api/calls query: filters, words searched in the caller's name and transcript, and the page. */
export interface CallFilter {
  q?: string;
  status?: 'active' | 'ended';
  outcome?: 'completed' | 'abandoned' | 'failed';
  extractionStatus?: 'pending' | 'running' | 'succeeded' | 'failed';
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export interface CallPage {
  items: CallSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface TurnMetrics {
  turn: number;
  eouMs: number;
  asrFinalMs: number;
  dialogFirstTokenMs: number;
  ttsFirstAudioMs: number;
  voiceToVoiceMs: number;
  interrupted: boolean;
}

export interface ExtractionJob {
  jobId: number;
  status: string;
  lastError: string | null;
  source: string | null;
  confidence: number | null;
  result: unknown;
  reviewStatus: string;
  reviewedBy: string | null;
}

export interface CallDetail extends CallSummary {
  transcript: (StoredSegment & { redacted: boolean })[];
  metrics: {
    turns: TurnMetrics[];
    voiceToVoiceMs: { count: number; p50: number | null; p95: number | null };
  };
  extraction: (CallSummary['extraction'] & ExtractionJob) | null;
  /** The caller agreed to be called back (nobody took their handoff). */
  callbacks: CallbackRequest[];
}

export interface StaffRoomTicket {
  token: string;
  iceServers: RTCIceServer[];
  grants: { canPublish: boolean; canWhisper: boolean; canTakeOver: boolean };
  /** Where the call's media goes (absent: mediasoup). */
  media?: MediaTicket;
}

/** A refused console API request; `status` is the response's HTTP status (0 when the server was unreachable). */
export class ConsoleApiError extends CodedError {
  constructor(status: number, code: string, message: string) {
    super(code, message, { status });
    this.name = 'ConsoleApiError';
  }
}

const STORAGE_KEY = 'voiceroom.console.session';

export class ConsoleApi {
  #session: Session | null;
  #refreshing: Promise<boolean> | null = null;

  constructor() {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    this.#session = saved ? (JSON.parse(saved) as Session) : null;
  }

  get user(): StaffUser | null {
    return this.#session?.user ?? null;
  }

  /**
   * The access token for the console channel, renewed first when it expires within the next 10 s. Resolves with ''
   * when signed out (the server then refuses the connection as unauthorized).
   */
  async accessToken(): Promise<string> {
    const session = this.#session;
    if (session && expiresAt(session.accessToken) - Date.now() < 10_000) await this.refresh();
    return this.#session?.accessToken ?? '';
  }

  /** Renews the session with the refresh cookie; false (and signed out) when it could not be renewed. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#renew().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async login(email: string, password: string): Promise<StaffUser> {
    const session = (await this.#fetch(
      'POST',
      '/api/auth/login',
      { email, password, refreshCookie: true },
      false,
    )) as Session;
    this.#store(session);
    return session.user;
  }

  async logout(): Promise<void> {
    this.#store(null);
    await this.#fetch('POST', '/api/auth/logout', {}, false).catch(() => undefined);
  }

  async calls(filter: CallFilter): Promise<CallPage> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter))
      if (value !== undefined && value !== '') query.set(key, String(value));
    return (await this.#fetch('GET', `/api/calls?${query}`)) as CallPage;
  }

  /** One call with its stored (possibly redacted) transcript, turn metrics and extraction. */
  async call(callId: string): Promise<CallDetail> {
    return (await this.#fetch('GET', `/api/calls/${encodeURIComponent(callId)}`)) as CallDetail;
  }

  /** Callers waiting for a callback, newest first (the first 100). */
  async openCallbacks(): Promise<CallbackRequest[]> {
    const page = (await this.#fetch('GET', '/api/callbacks?status=open&pageSize=100')) as {
      items: CallbackRequest[];
    };
    return page.items;
  }

  async callbackDone(callbackId: string): Promise<void> {
    await this.#fetch('POST', `/api/callbacks/${encodeURIComponent(callbackId)}/done`, {});
  }

  async approveExtraction(jobId: number, note?: string): Promise<void> {
    await this.#fetch('POST', `/api/extraction/jobs/${jobId}/approve`, note ? { note } : {});
  }

  /** Replaces the extracted order with `result` (validated by the server against the extraction schema). */
  async correctExtraction(jobId: number, result: unknown, note?: string): Promise<void> {
    await this.#fetch('POST', `/api/extraction/jobs/${jobId}/correct`, note ? { result, note } : { result });
  }

  async roomTicket(roomId: string, listenOnly: boolean): Promise<StaffRoomTicket> {
    const ticket = (await this.#fetch('POST', `/api/rooms/${encodeURIComponent(roomId)}/token`, {
      listenOnly,
    })) as StaffRoomTicket;
    const media = MediaTicketSchema.optional().safeParse(ticket.media);
    if (!media.success) {
      throw new ConsoleApiError(
        502,
        'BAD_RESPONSE',
        'the server answered with an unusable media ticket; try again',
      );
    }
    return { ...ticket, media: media.data };
  }

  async #fetch(method: string, url: string, body?: unknown, authenticated = true): Promise<unknown> {
    const response = await this.#send(method, url, body, authenticated);
    if (response.status === 401 && authenticated && (await this.refresh())) {
      return this.#parse(await this.#send(method, url, body, authenticated));
    }
    return this.#parse(response);
  }

  #send(method: string, url: string, body: unknown, authenticated: boolean): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && this.#session) headers.authorization = `Bearer ${this.#session.accessToken}`;
    return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }).catch(
      () => {
        throw new ConsoleApiError(0, 'network_error', 'the server cannot be reached; check your connection');
      },
    );
  }

  async #parse(response: Response): Promise<unknown> {
    if (response.status === 204) return undefined;
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) return body;
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (response.status === 401) this.#store(null);
    throw new ConsoleApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      typeof error?.message === 'string' ? error.message : `request failed (${response.status})`,
    );
  }

  async #renew(): Promise<boolean> {
    if (!this.#session) return false;
    try {
      this.#store((await this.#fetch('POST', '/api/auth/refresh', {}, false)) as Session);
      return true;
    } catch {
      this.#store(null);
      return false;
    }
  }

  #store(session: Session | null): void {
    this.#session = session;
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  }
}

/** When a JWT expires (ms since the epoch); 0 when it cannot be read, so that it is renewed. */
function expiresAt(jwt: string): number {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const { exp } = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}
