import {
  grantsForRole,
  type LiveKitIdentityKind,
  liveKitIdentity,
  type MediaTicket,
  parseLiveKitMetadata,
  type RoomRole,
} from '@voiceroom/protocol';
import { AccessToken, type ParticipantInfo, RoomServiceClient, type VideoGrant } from 'livekit-server-sdk';
import { z } from 'zod';
import { createLogger, type Logger } from '../../log.ts';
import type { MediaTicketRequest, SfuBackend, SfuParticipant } from '../SfuBackend.ts';
import { liveKitAgentGrant, liveKitClaims, liveKitVideoGrant } from './liveKitGrants.ts';

export interface LiveKitBackendOptions {
  /** ws(s):// URL clients and agent workers connect to. */
  url: string;
  /** Where this server reaches LiveKit's API (default: `url` with http(s)). */
  apiUrl?: string;
  apiKey: string;
  apiSecret: string;
  /** Lifetime of the tokens it mints (default 1 h, like room tokens). */
  tokenTtlS?: number;
  /** A room nobody joined closes after this long (default 120 s). */
  emptyTimeoutS?: number;
  /** A room closes this long after its last participant left (default 10 s). */
  departureTimeoutS?: number;
  logger?: Logger;
}

/** Room metadata the server writes at creation: which agent answers the call. */
const RoomMetadataSchema = z.object({ agentId: z.string().nullable() });

/** The metadata of a room this server created; undefined for any other room of the cluster. */
export function parseRoomMetadata(metadata: string | undefined): { agentId: string | null } | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = RoomMetadataSchema.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface LiveKitAgentCredentials {
  url: string;
  token: string;
  identity: string;
}

/**
 * SfuBackend on a LiveKit cluster: rooms through RoomServiceClient, and LiveKit access tokens minted from our room
 * grants (identities `customer:…`, `agent:…`, `staff:…`, metadata {role, name}). Which node hosts a room is LiveKit's
 * choice; any node's URL reaches every room of the cluster.
 */
export class LiveKitBackend implements SfuBackend {
  readonly kind = 'livekit';
  readonly #options: LiveKitBackendOptions;
  readonly #rooms: RoomServiceClient;
  readonly #log: Logger;

  constructor(options: LiveKitBackendOptions) {
    this.#options = options;
    this.#rooms = new RoomServiceClient(
      options.apiUrl ?? options.url.replace(/^ws/, 'http'),
      options.apiKey,
      options.apiSecret,
    );
    this.#log = options.logger ?? createLogger('media.livekit');
  }

  get url(): string {
    return this.#options.url;
  }

  async createRoom(roomId: string, info: { agentId: string | null }): Promise<void> {
    await this.#rooms.createRoom({
      name: roomId,
      emptyTimeout: this.#options.emptyTimeoutS ?? 120,
      departureTimeout: this.#options.departureTimeoutS ?? 10,
      metadata: JSON.stringify({ agentId: info.agentId }),
    });
    this.#log.info({ roomId, agentId: info.agentId }, 'livekit room created');
  }

  async closeRoom(roomId: string, reason: string): Promise<void> {
    try {
      await this.#rooms.deleteRoom(roomId);
      this.#log.info({ roomId, reason }, 'livekit room deleted');
    } catch (error) {
      if (!(await this.roomExists(roomId))) return;
      throw error;
    }
  }

  async roomExists(roomId: string): Promise<boolean> {
    return (await this.#rooms.listRooms([roomId])).length > 0;
  }

  /** The agent that answers calls in this room (from the room's metadata); null when none or not our room. */
  async roomAgent(roomId: string): Promise<string | null> {
    const [room] = await this.#rooms.listRooms([roomId]);
    return parseRoomMetadata(room?.metadata)?.agentId ?? null;
  }

  async listParticipants(roomId: string): Promise<SfuParticipant[]> {
    return (await this.#rooms.listParticipants(roomId)).map(toSfuParticipant);
  }

  async mediaTicket(request: MediaTicketRequest): Promise<MediaTicket> {
    const grants = grantsForRole(request.role, { listenOnly: request.listenOnly ?? false });
    const token = await this.#mint(
      identityKind(request.role),
      request.identity,
      request.name,
      request.role,
      liveKitVideoGrant(request.roomId, grants),
    );
    return { backend: 'livekit', url: this.#options.url, token };
  }

  /** What an agent worker joins the room with (dispatch): identity `agent:<sessionId>`, role agent_ai. */
  async agentCredentials(roomId: string, sessionId: string, name: string): Promise<LiveKitAgentCredentials> {
    const identity = liveKitIdentity('agent', sessionId);
    const token = await this.#mint('agent', sessionId, name, 'agent_ai', liveKitAgentGrant(roomId));
    return { url: this.#options.url, token, identity };
  }

  /** Mutes (or unmutes) every track the session's agent publishes: LiveKit forwards nothing of a muted track. */
  async muteAgent(roomId: string, sessionId: string, muted: boolean): Promise<void> {
    const identity = liveKitIdentity('agent', sessionId);
    const agent = await this.#rooms.getParticipant(roomId, identity);
    await Promise.all(
      agent.tracks.map((t) => this.#rooms.mutePublishedTrack(roomId, identity, t.sid, muted)),
    );
    this.#log.info({ roomId, identity, muted, tracks: agent.tracks.length }, 'agent muted on LiveKit');
  }

  async #mint(
    kind: LiveKitIdentityKind,
    id: string,
    name: string,
    role: RoomRole,
    grant: VideoGrant,
  ): Promise<string> {
    const identity = id.startsWith(`${kind}:`) ? id : liveKitIdentity(kind, id);
    const claims = liveKitClaims(identity, name, role);
    const token = new AccessToken(this.#options.apiKey, this.#options.apiSecret, {
      identity,
      name,
      metadata: claims.metadata,
      ttl: this.#options.tokenTtlS ?? 3600,
    });
    token.addGrant(grant);
    return token.toJwt();
  }
}

function identityKind(role: RoomRole): LiveKitIdentityKind {
  if (role === 'customer') return 'customer';
  if (role === 'agent_ai') return 'agent';
  return 'staff';
}

function toSfuParticipant(p: ParticipantInfo): SfuParticipant {
  const metadata = parseLiveKitMetadata(p.metadata);
  return {
    id: p.identity,
    identity: p.identity,
    displayName: p.name,
    role: metadata?.role,
    hidden: p.permission?.hidden ?? false,
    tracks: p.tracks.map((t) => t.name),
  };
}
