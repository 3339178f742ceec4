/**
 * The console's session in real Chromium against the real server: an access token the server refuses is renewed
 * from the httpOnly refresh cookie, once, however many requests fail with 401 at the same time (the server rotates
 * refresh tokens and revokes the whole login when an old one is presented again).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../server/src/auth/roles.ts';
import { TokenService } from '../../server/src/auth/TokenService.ts';
import { REPO_ROOT } from '../../server/src/config.ts';
import { DEFAULT_SEED_PASSWORD } from '../../server/src/db/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type CallBrowser, inPage, launchCallBrowser, makeSpeechWav } from '../helpers/browser.ts';
import { buildPage } from '../helpers/clientPage.ts';
import { seedConsoleUsers } from '../helpers/consoleUsers.ts';
import { step } from '../helpers/deadline.ts';

const HARNESS = path.join(REPO_ROOT, 'client', 'test', 'harness');
/** Signing in from the page (a login) under load. */
const SIGN_IN_MS = 20_000;

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
  await seedConsoleUsers(app);
  browser = await launchCallBrowser({ fakeAudioWav: wav });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Opens the harness page and signs the demo agent in through its ConsoleApi. */
async function signInHarness(page: Page) {
  await page.goto(`${app.url}/`);
  return step('signing in on the harness', SIGN_IN_MS, () =>
    page.evaluate(
      async ({ email, password }) => {
        const { ConsoleApi } = (window as unknown as { harness: { ConsoleApi: new () => HarnessApi } })
          .harness;
        return new ConsoleApi().login(email, password);
      },
      { email: 'agent@voiceroom.local', password: DEFAULT_SEED_PASSWORD },
    ),
  );
}

/** Saves `token` as the console session's access token, as if the page had signed in with it. */
const replaceAccessToken = (page: Page, token: string) =>
  inPage('replacing the access token', () =>
    page.evaluate((accessToken) => {
      const key = 'voiceroom.console.session';
      const session = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      sessionStorage.setItem(key, JSON.stringify({ ...session, accessToken }));
    }, token),
  );

describe('console session', () => {
  it('renews a refused access token once for several concurrent requests and stays signed in', async () => {
    await browser.page.goto(`${app.url}/`);
    const outcome = await step('concurrent requests with a refused token', SIGN_IN_MS, () =>
      browser.page.evaluate(
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
      ),
    );
    expect(outcome).toEqual({ settled: ['ok', 'ok', 'ok'], later: 'ok', user: 'agent@voiceroom.local' });
  }, 60_000);

  it('keeps the live feed working past its access token: a request answered token_expired renews, reconnects and succeeds', async () => {
    const page = browser.page;
    const user = await signInHarness(page);
    // The feed connects with an access token that outlives the renewal margin (10 s) by 2 s, then expires.
    const ttlS = 12;
    const shortLived = await new TokenService({
      ...app.server.config.jwt,
      accessTtlS: ttlS,
    }).issueAccessToken(user);
    const issuedAt = Date.now();
    await replaceAccessToken(page, shortLived.token);
    await inPage('starting the console feed', () =>
      page.evaluate(async () => {
        const { ConsoleApi, SocketDataSource } = (
          window as unknown as {
            harness: { ConsoleApi: new () => unknown; SocketDataSource: HarnessSourceClass };
          }
        ).harness;
        const source = new SocketDataSource(new ConsoleApi(), location.origin);
        const w = window as unknown as { feed: { source: HarnessSource; errors: string[]; calls: number } };
        w.feed = { source, errors: [], calls: 0 };
        source.on('calls', () => {
          w.feed.calls++;
        });
        source.on('error', ({ error }) =>
          w.feed.errors.push((error as { code?: string }).code ?? String(error)),
        );
        source.start();
      }),
    );
    await page.waitForFunction(() => (window as unknown as { feed: { calls: number } }).feed.calls > 0);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, issuedAt + ttlS * 1000 + 500 - Date.now())),
    );

    const after = await inPage("the console's requests after the renewal", () =>
      page.evaluate(async () => {
        const { feed } = window as unknown as { feed: { source: HarnessSource; errors: string[] } };
        const outcome = await feed.source.setAvailability('busy').then(
          () => 'ok',
          (error: { code?: string }) => error.code ?? 'failed',
        );
        const session = JSON.parse(sessionStorage.getItem('voiceroom.console.session') ?? '{}');
        feed.source.stop();
        return {
          outcome,
          availability: feed.source.availability,
          errors: feed.errors,
          token: session.accessToken,
        };
      }),
    );
    expect(after).toMatchObject({ outcome: 'ok', availability: 'busy', errors: [] });
    expect(after.token).not.toBe(shortLived.token);
    expect(app.server.console.presence.get(user.id)?.chosen).toBe('busy');
  }, 60_000);
});

describe('live console feed', () => {
  it('renews once and connects when the handshake refuses a token that looked fresh', async () => {
    const page = browser.page;
    const user = await signInHarness(page);
    // Valid for 15 minutes by its own claims, but not signed by this server (as after a secret rotation).
    const forged = await new TokenService({ ...app.server.config.jwt, secret: 'another-secret-'.repeat(3) })
      .issueAccessToken(user)
      .then((issued) => issued.token);
    await replaceAccessToken(page, forged);
    const outcome = await step('the console channel to connect after the renewal', 20_000, () =>
      page.evaluate(async (token) => {
        const { ConsoleApi, SocketDataSource } = (
          window as unknown as {
            harness: { ConsoleApi: new () => unknown; SocketDataSource: HarnessSourceClass };
          }
        ).harness;
        const source = new SocketDataSource(new ConsoleApi(), location.origin);
        const errors: string[] = [];
        source.on('error', ({ error }) => errors.push((error as { code?: string }).code ?? String(error)));
        const connected = new Promise<string>((resolve) => {
          source.on('calls', () => resolve('connected'));
          setTimeout(() => resolve('not connected'), 15_000);
        });
        source.start();
        const result = await connected;
        source.stop();
        const renewed =
          JSON.parse(sessionStorage.getItem('voiceroom.console.session') ?? '{}').accessToken !== token;
        return { result, errors, renewed };
      }, forged),
    );
    expect(outcome).toEqual({ result: 'connected', errors: [], renewed: true });
  }, 60_000);
});

type HarnessApi = {
  login(email: string, password: string): Promise<{ id: string; email: string; role: UserRole }>;
};
type HarnessSource = {
  readonly availability: string;
  start(): void;
  stop(): void;
  setAvailability(availability: 'available' | 'busy' | 'away'): Promise<void>;
  on(event: 'calls', listener: () => void): void;
  on(event: 'error', listener: (payload: { error: unknown }) => void): void;
};
type HarnessSourceClass = new (api: unknown, url: string) => HarnessSource;
