import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.ts';
import { type CallBrowser, launchCallBrowser } from './browser.ts';
import { buildClientPage } from './clientPage.ts';
import { seedConsoleUsers } from './consoleUsers.ts';

export interface CallSceneSetup {
  /** The customer's fake microphone (looped). */
  customerWav: string;
  /** The staff member's fake microphone (looped). */
  staffWav: string;
  /** Extra server environment. */
  env?: Record<string, string>;
}

export interface CallScene {
  /** The scene's temporary directory (removed by close). */
  workDir: string;
  app: TestApp;
  /** Chromium for the call page. */
  customer: CallBrowser;
  /** Chromium for the console (the demo staff are seeded; see signInConsole). */
  staff: CallBrowser;
  close(): Promise<void>;
}

/**
 * A customer and a staff member around a voice AI agent, for end-to-end tests of the console: the whole product
 * (server with the built client pages, agent worker, demo staff) and two Chromiums with fake microphones.
 * `prepare` makes the microphones' wav files in the scene's directory (named after `name`) while the client builds.
 */
export async function startCallScene(options: {
  name: string;
  prepare: (workDir: string) => Promise<CallSceneSetup>;
}): Promise<CallScene> {
  const workDir = await mkdtemp(path.join(tmpdir(), `voiceroom-${options.name}-`));
  let app: TestApp | undefined;
  const browsers: CallBrowser[] = [];
  const close = async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
    await app?.close();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const [setup, clientDir] = await Promise.all([
      options.prepare(workDir),
      buildClientPage(path.join(workDir, 'client')),
    ]);
    app = await startTestApp({ agent: { pipeline: 'voice' }, clientDir, env: setup.env });
    await seedConsoleUsers(app);
    const [customer, staff] = await Promise.all(
      [setup.customerWav, setup.staffWav].map(async (fakeAudioWav) => {
        const browser = await launchCallBrowser({ fakeAudioWav });
        browsers.push(browser);
        return browser;
      }),
    );
    return { workDir, app, customer: customer as CallBrowser, staff: staff as CallBrowser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The customer calls the AI from the call page and is connected. */
export async function startCustomerCall(page: Page, appUrl: string): Promise<void> {
  await page.goto(`${appUrl}/`);
  await page.click('#call');
  await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}
