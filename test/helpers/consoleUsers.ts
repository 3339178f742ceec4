import type { Page } from 'playwright-core';
import { openOrm } from '../../server/src/db/orm.ts';
import { DEFAULT_SEED_PASSWORD, seedDemoUsers } from '../../server/src/db/seed.ts';
import type { TestApp } from './app.ts';

/** The demo staff (admin, supervisor, agent @voiceroom.local) in the app's database, with the default password. */
export async function seedConsoleUsers(app: TestApp): Promise<void> {
  const orm = await openOrm(app.server.config.db);
  try {
    await seedDemoUsers(orm);
  } finally {
    await orm.close(true);
  }
}

/** Signs a demo staff member in on the console page (client/console/); waiting for what follows is the caller's. */
export async function signInConsole(page: Page, appUrl: string, who: 'supervisor' | 'agent'): Promise<void> {
  await page.goto(`${appUrl}/console/`);
  await page.fill('#email', `${who}@voiceroom.local`);
  await page.fill('#password', DEFAULT_SEED_PASSWORD);
  await page.click('#login button[type="submit"]');
}
