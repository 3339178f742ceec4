/**
 * The console's session in real Chromium against the real server: an access token the server refuses is renewed
 * from the httpOnly refresh cookie, once, however many requests fail with 401 at the same time (the server rotates
 * refresh tokens and revokes the whole login when an old one is presented again).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../server/src/db/orm.ts';
import { DEFAULT_SEED_PASSWORD, seedDemoUsers } from '../../server/src/db/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type CallBrowser, launchCallBrowser, makeSpeechWav } from '../helpers/browser.ts';
import { buildPage } from '../helpers/clientPage.ts';

const HARNESS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'client',
  'test',
  'harness',
);

let workDir: string;
let app: TestApp;
let browser: CallBrowser;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-console-session-'));
  const [wav, pageDir] = await Promise.all([
    makeSpeechWav('Hello.', workDir),
    buildPage(HARNESS, path.join(workDir, 'page')),
  ]);
  app = await startTestApp({ clientDir: pageDir });
  const orm = await openOrm(app.server.config.db);
  try {
    await seedDemoUsers(orm);
  } finally {
    await orm.close(true);
  }
  browser = await launchCallBrowser({ fakeAudioWav: wav });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('console session', () => {
  it('renews a refused access token once for several concurrent requests and stays signed in', async () => {
    await browser.page.goto(`${app.url}/`);
    const outcome = await browser.page.evaluate(
      async ({ email, password }) => {
        type Api = {
          user: { email: string } | null;
          login(email: string, password: string): Promise<unknown>;
          accessToken(): Promise<string>;
          calls(filter: { page: number; pageSize: number; status?: string }): Promise<{ total: number }>;
        };
        const { ConsoleApi } = (window as unknown as { harness: { ConsoleApi: new () => Api } }).harness;
        await new ConsoleApi().login(email, password);
        // What a page reload finds after the access token expired: a token the server refuses.
        const key = 'voiceroom.console.session';
        const saved = JSON.parse(sessionStorage.getItem(key) ?? '{}');
        sessionStorage.setItem(key, JSON.stringify({ ...saved, accessToken: 'expired-access-token' }));
        const api = new ConsoleApi();
        const settled = await Promise.allSettled([
          // The console channel's token: unreadable, so renewed first (sharing the one refresh).
          api.accessToken().then((token) => {
            if (token === 'expired-access-token') throw { code: 'not_renewed' };
          }),
          api.calls({ page: 1, pageSize: 5, status: 'active' }),
          api.calls({ page: 1, pageSize: 5 }),
        ]);
        const later = await api.calls({ page: 1, pageSize: 5 }).then(
          () => 'ok',
          (error: { code?: string }) => error.code ?? 'failed',
        );
        return {
          settled: settled.map((s) =>
            s.status === 'fulfilled' ? 'ok' : (s.reason as { code?: string }).code,
          ),
          later,
          user: api.user?.email ?? null,
        };
      },
      { email: 'agent@voiceroom.local', password: DEFAULT_SEED_PASSWORD },
    );
    expect(outcome).toEqual({ settled: ['ok', 'ok', 'ok'], later: 'ok', user: 'agent@voiceroom.local' });
  }, 60_000);
});
