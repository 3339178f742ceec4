import { z } from 'zod';
import { LoginBodySchema, RefreshBodySchema } from './auth.ts';
import { CallListQuerySchema, CallParamsSchema } from './calls.ts';
import { HintBodySchema, TakeoverBodySchema } from './copilot.ts';
import { EDITORS, type Operation, STAFF } from './openapiOperation.ts';
import { RoomTokenBodySchema, StartCallBodySchema } from './rooms.ts';
import {
  CreateUserBodySchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserParamsSchema,
} from './users.ts';

const RoomParams = z.object({ roomId: z.string() });

/** Health, sign-in, accounts, calls (records, rooms, co-pilot) and recordings. */
export const CALL_OPERATIONS: Operation[] = [
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
];
