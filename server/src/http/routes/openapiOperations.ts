import { z } from 'zod';
import { AgentParamsSchema } from './agentConfigs.ts';
import { AuditQuerySchema } from './audit.ts';
import { LoginBodySchema, RefreshBodySchema } from './auth.ts';
import { CallbackListQuerySchema, CallbackParamsSchema } from './callbacks.ts';
import { CallListQuerySchema, CallParamsSchema } from './calls.ts';
import {
  ConversationAgentParamsSchema,
  ConversationMessageBodySchema,
  ConversationParamsSchema,
} from './conversations.ts';
import { HintBodySchema, TakeoverBodySchema } from './copilot.ts';
import { ApproveBodySchema, CorrectBodySchema, JobListQuerySchema, JobParamsSchema } from './extraction.ts';
import { RoomTokenBodySchema, StartCallBodySchema } from './rooms.ts';
import {
  CreateUserBodySchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserParamsSchema,
} from './users.ts';

/** One documented operation; the OpenAPI document is generated from this table and the zod schemas. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path (/api/calls/:callId). */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed; undefined = public. 'any' = any signed-in user. */
  roles?: readonly string[] | 'any';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType | 'yaml' | { ref: string };
  responses: Record<string, string | { description: string; ref?: string; yaml?: boolean }>;
}

const STAFF = ['human_agent', 'supervisor', 'admin'] as const;
const EDITORS = ['supervisor', 'admin'] as const;

const RoomParams = z.object({ roomId: z.string() });

export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/healthz', tag: 'health', summary: 'Liveness', responses: { 200: 'Alive' } },
  {
    method: 'get',
    path: '/readyz',
    tag: 'health',
    summary: 'Readiness (database, Redis, media)',
    responses: {
      200: 'Ready',
      503: 'Not ready: failing checks by name and code (check_failed, check_timeout)',
    },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'health',
    summary: 'Prometheus metrics (Bearer METRICS_TOKEN when the server sets one)',
    responses: { 200: 'Text exposition format', 401: 'metrics_token_required' },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in: access and refresh tokens',
    body: LoginBodySchema,
    responses: {
      200: 'Tokens',
      401: 'Bad credentials',
      429: 'Too many attempts: rate_limited (address) or login_throttled (account)',
      503: 'rate_limiter_unavailable (Redis down: login fails closed)',
    },
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    tag: 'auth',
    summary: 'Rotate the refresh token',
    body: RefreshBodySchema,
    responses: { 200: 'New tokens', 401: 'Refresh token invalid or reused' },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: 'Revoke a refresh token',
    body: RefreshBodySchema,
    responses: { 204: 'Signed out' },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    tag: 'auth',
    summary: 'The signed-in user',
    roles: 'any',
    responses: { 200: 'User' },
  },
  {
    method: 'get',
    path: '/api/users',
    tag: 'users',
    summary: 'List accounts',
    roles: ['admin'],
    query: UserListQuerySchema,
    responses: { 200: 'Accounts' },
  },
  {
    method: 'post',
    path: '/api/users',
    tag: 'users',
    summary: 'Create an account (audited)',
    roles: ['admin'],
    body: CreateUserBodySchema,
    responses: { 201: 'Account', 400: 'Invalid', 409: 'Email taken' },
  },
  {
    method: 'patch',
    path: '/api/users/:userId',
    tag: 'users',
    summary: 'Change role or password, or disable (revokes sessions; audited)',
    roles: ['admin'],
    params: UserParamsSchema,
    body: UpdateUserBodySchema,
    responses: { 200: 'Account', 404: 'No such account' },
  },
  {
    method: 'post',
    path: '/api/calls',
    tag: 'calls',
    summary: 'Start a call: call record, room and customer room token',
    body: StartCallBodySchema,
    responses: {
      201: 'callId, roomId, token, iceServers, media (mediasoup, or LiveKit url and token)',
      404: 'Unknown agent',
      429: 'Too many calls: rate_limited (address) or call_budget_exhausted (all addresses)',
    },
  },
  {
    method: 'post',
    path: '/api/rooms/:roomId/token',
    tag: 'calls',
    summary: 'Room token for staff joining a live call',
    roles: STAFF,
    params: RoomParams,
    body: RoomTokenBodySchema,
    responses: { 200: 'Room token, grants and media ticket', 404: 'No such room' },
  },
  {
    method: 'post',
    path: '/api/rooms/:roomId/hint',
    tag: 'calls',
    summary: 'LiveKit calls: coach the AI with a hint (audited; on mediasoup use the /rtc signaling)',
    roles: STAFF,
    params: RoomParams,
    body: HintBodySchema,
    responses: {
      200: '{}',
      403: 'No canWhisper grant',
      404: 'room_not_found, not_found (no agent) or livekit_disabled',
    },
  },
  {
    method: 'post',
    path: '/api/rooms/:roomId/takeover',
    tag: 'calls',
    summary:
      'LiveKit calls: take the call over from the AI (active) or hand it back; one holder per room, audited',
    roles: STAFF,
    params: RoomParams,
    body: TakeoverBodySchema,
    responses: {
      200: '{ holder }',
      403: 'No canTakeOver grant, or another holder',
      404: 'room_not_found or livekit_disabled',
    },
  },
  {
    method: 'post',
    path: '/api/livekit/webhook',
    tag: 'calls',
    summary:
      'LiveKit webhooks (SFU_BACKEND=livekit): signed by LiveKit with the API secret; drive call records',
    responses: {
      200: '{ event, applied }',
      401: 'webhook_unsigned or webhook_bad_signature',
      404: 'livekit_disabled (SFU_BACKEND is mediasoup)',
      409: 'webhook_replayed or webhook_stale',
    },
  },
  {
    method: 'get',
    path: '/api/calls',
    tag: 'calls',
    summary: 'List and search calls (newest first)',
    roles: STAFF,
    query: CallListQuerySchema,
    responses: { 200: '{ items, total, page, pageSize }' },
  },
  {
    method: 'get',
    path: '/api/calls/:callId',
    tag: 'calls',
    summary: 'One call: handoff requests, participants, transcript, turn latency, stage failures, extraction',
    roles: STAFF,
    params: CallParamsSchema,
    responses: { 200: 'Call', 404: 'No such call' },
  },
  {
    method: 'get',
    path: '/api/calls/:callId/recording',
    tag: 'calls',
    summary: 'The call recording (Ogg Opus), decrypted as a stream; audit-logged (recording.download)',
    roles: EDITORS,
    params: CallParamsSchema,
    responses: {
      200: 'audio/ogg',
      404: 'recording_not_found',
      409: 'recording_key_missing: its key is no longer in RECORDING_KEYS',
    },
  },
  {
    method: 'put',
    path: '/api/recordings/rooms/:roomId',
    tag: 'calls',
    summary: "Agent workers (service token): store the recording of the room's latest call, encrypted",
    roles: ['service'],
    params: RoomParams,
    responses: {
      204: 'Stored',
      401: 'Not a valid service token',
      404: 'call_not_found',
      409: 'recording_not_configured (RECORDING_KEYS unset)',
      413: 'recording_too_large',
    },
  },
  {
    method: 'get',
    path: '/api/agent-configs',
    tag: 'agent configurations',
    summary: 'List agent configurations',
    roles: STAFF,
    responses: { 200: '{ items: AgentConfig[] }' },
  },
  {
    method: 'post',
    path: '/api/agent-configs',
    tag: 'agent configurations',
    summary: 'Create an agent configuration',
    roles: EDITORS,
    body: { ref: 'AgentConfig' },
    responses: {
      201: { description: 'Created', ref: 'AgentConfig' },
      400: 'Invalid configuration (details name each field)',
      409: 'Exists',
    },
  },
  {
    method: 'post',
    path: '/api/agent-configs/import',
    tag: 'agent configurations',
    summary: 'Import a YAML agent configuration (create or replace)',
    roles: EDITORS,
    body: 'yaml',
    responses: { 200: 'Replaced', 201: 'Created', 400: 'Invalid YAML or configuration', 415: 'Not YAML' },
  },
  {
    method: 'get',
    path: '/api/agent-configs/:agentId',
    tag: 'agent configurations',
    summary: 'One agent configuration (?format=yaml for YAML); ETag = version',
    roles: STAFF,
    params: AgentParamsSchema,
    query: z.object({ format: z.enum(['json', 'yaml']).optional() }),
    responses: { 200: { description: 'The configuration', ref: 'AgentConfig' }, 404: 'Unknown agent' },
  },
  {
    method: 'get',
    path: '/api/agent-configs/:agentId/export',
    tag: 'agent configurations',
    summary: 'Download as YAML',
    roles: STAFF,
    params: AgentParamsSchema,
    responses: { 200: { description: 'YAML document', yaml: true }, 404: 'Unknown agent' },
  },
  {
    method: 'put',
    path: '/api/agent-configs/:agentId',
    tag: 'agent configurations',
    summary: 'Replace an agent configuration (If-Match: version)',
    roles: EDITORS,
    params: AgentParamsSchema,
    body: { ref: 'AgentConfig' },
    responses: {
      200: { description: 'Replaced', ref: 'AgentConfig' },
      400: 'Invalid configuration',
      404: 'Unknown agent',
      412: 'Changed since read',
    },
  },
  {
    method: 'delete',
    path: '/api/agent-configs/:agentId',
    tag: 'agent configurations',
    summary: 'Delete an agent configuration (its calls are kept)',
    roles: ['admin'],
    params: AgentParamsSchema,
    responses: { 204: 'Deleted', 404: 'Unknown agent' },
  },
  {
    method: 'post',
    path: '/api/agent-configs/:agentId/conversations',
    tag: 'conversations',
    summary: 'Talk to an agent by text: start a conversation (returns its id and the greeting)',
    roles: STAFF,
    params: ConversationAgentParamsSchema,
    responses: { 201: '{ conversationId, reply, handoff, ended }', 404: 'Unknown agent' },
  },
  {
    method: 'post',
    path: '/api/conversations/:conversationId/messages',
    tag: 'conversations',
    summary: "Say something to the agent; returns its reply (only the conversation's starter may)",
    roles: STAFF,
    params: ConversationParamsSchema,
    body: ConversationMessageBodySchema,
    responses: {
      200: '{ conversationId, reply, handoff, ended }',
      404: 'No such conversation',
      409: 'Busy with the previous message, or ended',
    },
  },
  {
    method: 'delete',
    path: '/api/conversations/:conversationId',
    tag: 'conversations',
    summary: 'End a conversation',
    roles: STAFF,
    params: ConversationParamsSchema,
    responses: { 204: 'Ended', 404: 'No such conversation' },
  },
  {
    method: 'get',
    path: '/api/extraction/jobs',
    tag: 'extraction',
    summary: 'Extraction jobs (review queue)',
    roles: STAFF,
    query: JobListQuerySchema,
    responses: { 200: '{ items, total, page, pageSize }' },
  },
  {
    method: 'get',
    path: '/api/extraction/jobs/:jobId',
    tag: 'extraction',
    summary: 'One job: attempts, error, result, stored order',
    roles: STAFF,
    params: JobParamsSchema,
    responses: { 200: 'Job', 404: 'No such job' },
  },
  {
    method: 'post',
    path: '/api/extraction/jobs/:jobId/approve',
    tag: 'extraction',
    summary: 'Approve a succeeded extraction (audited)',
    roles: EDITORS,
    params: JobParamsSchema,
    body: ApproveBodySchema,
    responses: { 200: 'Job', 404: 'No such job', 409: 'Not succeeded' },
  },
  {
    method: 'post',
    path: '/api/extraction/jobs/:jobId/correct',
    tag: 'extraction',
    summary: 'Correct the result; replaces the stored order (audited)',
    roles: EDITORS,
    params: JobParamsSchema,
    body: CorrectBodySchema,
    responses: { 200: 'Job', 400: 'Invalid result', 404: 'No such job', 409: 'Still running' },
  },
  {
    method: 'post',
    path: '/api/extraction/jobs/:jobId/retry',
    tag: 'extraction',
    summary: 'Queue a failed job again (audited)',
    roles: EDITORS,
    params: JobParamsSchema,
    responses: { 200: 'Job', 404: 'No such job', 409: 'Not failed' },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'meta',
    summary: 'This document',
    responses: { 200: 'OpenAPI 3.1' },
  },
  {
    method: 'get',
    path: '/api/audit',
    tag: 'audit',
    summary:
      'Audit log, newest first: co-pilot actions (copilot.*), handoffs (handoff.*), reviews, configuration changes; ' +
      'filter by call, actor, action (exact, or a prefix ending in a dot) and time; ids only, no customer data',
    roles: ['admin'],
    query: AuditQuerySchema,
    responses: { 200: 'Entries {items, total, page, pageSize}', 400: 'Invalid filter' },
  },
  {
    method: 'get',
    path: '/api/callbacks',
    tag: 'calls',
    summary:
      'Callers who agreed to be called back when nobody took their handoff (number if given, consent time), newest ' +
      'first',
    roles: STAFF,
    query: CallbackListQuerySchema,
    responses: { 200: 'Callback requests {items, total, page, pageSize}', 400: 'Invalid filter' },
  },
  {
    method: 'post',
    path: '/api/callbacks/:callbackId/done',
    tag: 'calls',
    summary: 'Mark a callback request called back (audited)',
    roles: STAFF,
    params: CallbackParamsSchema,
    responses: { 200: 'Callback request', 404: 'No such callback request' },
  },
];
