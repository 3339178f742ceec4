/**
 * One human agent's control-plane loop: log in, rotate the refresh token, list live calls and fetch a room token
 * for one of them (what the console does before joining a call).
 */
import type { SignalingLoadStats } from './SignalingLoadStats.ts';
import { timedFetch } from './virtualCustomer.ts';

interface Session {
  accessToken: string;
  refreshToken: string;
}

const json = { 'content-type': 'application/json' };

export async function runStaffRound(
  baseUrl: string,
  stats: SignalingLoadStats,
  credentials: { email: string; password: string },
): Promise<void> {
  try {
    const login = await timedFetch(stats, 'POST /api/auth/login', `${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(credentials),
    });
    if (!login.ok) throw new Error(`login answered ${login.status}`);
    let session = (await login.json()) as Session;
    const refreshed = await timedFetch(stats, 'POST /api/auth/refresh', `${baseUrl}/api/auth/refresh`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    if (!refreshed.ok) throw new Error(`refresh answered ${refreshed.status}`);
    const previous = session.refreshToken;
    session = (await refreshed.json()) as Session;
    if (session.refreshToken === previous) throw new Error('refresh did not rotate the refresh token');
    const auth = { authorization: `Bearer ${session.accessToken}` };
    const live = await timedFetch(stats, 'GET /api/calls', `${baseUrl}/api/calls?status=active`, {
      headers: auth,
    });
    if (!live.ok) throw new Error(`GET /api/calls answered ${live.status}`);
    const roomId = firstRoomId(await live.json());
    if (roomId === undefined) return;
    const token = await timedFetch(
      stats,
      'POST /api/rooms/:roomId/token',
      `${baseUrl}/api/rooms/${encodeURIComponent(roomId)}/token`,
      { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify({ listenOnly: true }) },
    );
    // The call may have ended between the listing and the request: 404 room_not_found is an honest answer.
    if (!token.ok && token.status !== 404) throw new Error(`room token answered ${token.status}`);
  } catch (error) {
    stats.unexpected(`staff: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function firstRoomId(body: unknown): string | undefined {
  const calls = (body as { items?: { roomId?: unknown }[] } | null)?.items;
  const roomId = Array.isArray(calls) ? calls.find((c) => typeof c.roomId === 'string')?.roomId : undefined;
  return typeof roomId === 'string' ? roomId : undefined;
}
