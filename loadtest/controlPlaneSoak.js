// k6 soak test of the control plane: health, staff login and token refresh, customers starting calls, staff
// listing live calls and fetching a room token. Bounded in time and rate; aimed at a server on this machine.
//   RATE_LIMIT_LOGIN=0/60 RATE_LIMIT_START_CALL=0/60 npm start      # rate limits off for one load source
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e DURATION=10m -e RATE=20 loadtest/controlPlaneSoak.js
import { check, fail } from 'k6';
import http from 'k6/http';
import { Trend } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const PASSWORD = __ENV.PASSWORD || 'voiceroom-demo';
const startCallMs = new Trend('start_call_ms', true);

export const options = {
  scenarios: {
    customers: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 10),
      timeUnit: '1s',
      duration: __ENV.DURATION || '5m',
      preAllocatedVUs: 20,
      maxVUs: 100,
      exec: 'customer',
    },
    staff: {
      executor: 'constant-vus',
      vus: Number(__ENV.STAFF || 4),
      duration: __ENV.DURATION || '5m',
      exec: 'staff',
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:start_call}': ['p(95)<300'],
    'http_req_duration{name:healthz}': ['p(95)<100'],
  },
};

const json = { headers: { 'content-type': 'application/json' } };

export function customer() {
  check(http.get(`${BASE_URL}/healthz`, { tags: { name: 'healthz' } }), {
    'healthz 200': (r) => r.status === 200,
  });
  const res = http.post(`${BASE_URL}/api/calls`, JSON.stringify({ displayName: 'k6 caller' }), {
    ...json,
    tags: { name: 'start_call' },
  });
  startCallMs.add(res.timings.duration);
  check(res, { 'call started': (r) => r.status === 201 && typeof r.json('token') === 'string' });
}

export function setup() {
  const res = http.post(
    `${BASE_URL}/api/auth/login`,
    JSON.stringify({ email: 'agent@voiceroom.local', password: PASSWORD }),
    json,
  );
  if (res.status !== 200)
    fail(`login failed (${res.status}): seed the demo users and turn RATE_LIMIT_LOGIN off`);
}

let session;

export function staff() {
  // Each VU logs in and keeps its own rotating refresh token: a shared one would be reuse, which revokes the family.
  if (!session?.accessToken) {
    const login = http.post(
      `${BASE_URL}/api/auth/login`,
      JSON.stringify({ email: 'agent@voiceroom.local', password: PASSWORD }),
      { ...json, tags: { name: 'login' } },
    );
    check(login, { 'login 200': (r) => r.status === 200 });
    session = { refreshToken: login.json('refreshToken'), accessToken: login.json('accessToken') };
  }
  const auth = { headers: { authorization: `Bearer ${session.accessToken}` } };
  const calls = http.get(`${BASE_URL}/api/calls?status=active&pageSize=20`, {
    ...auth,
    tags: { name: 'list_calls' },
  });
  check(calls, { 'calls listed': (r) => r.status === 200 });
  const refreshed = http.post(
    `${BASE_URL}/api/auth/refresh`,
    JSON.stringify({ refreshToken: session.refreshToken }),
    {
      ...json,
      tags: { name: 'refresh' },
    },
  );
  if (check(refreshed, { 'refresh 200': (r) => r.status === 200 })) {
    session = { refreshToken: refreshed.json('refreshToken'), accessToken: refreshed.json('accessToken') };
  } else {
    session.accessToken = null;
  }
}
