/**
 * The human agent console against the whole product: a customer calls the AI agent from the call page; a supervisor
 * signs in to the console (client/console/), sees the live call, listens silently with the live transcript, coaches
 * the AI with a hint, switches to takeover (the customer hears them) and back to listening (the call is handed back).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../server/src/db/orm.ts';
import { DEFAULT_SEED_PASSWORD, seedDemoUsers } from '../../server/src/db/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  type CallBrowser,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../helpers/browser.ts';
import { buildClientPage } from '../helpers/clientPage.ts';

let workDir: string;
let app: TestApp;
let customer: CallBrowser;
let supervisor: CallBrowser;

type PageRoom = { remoteTracks: Map<string, { participant: { role?: string } }> };

const customerTrackRoles = () =>
  customer.page.evaluate(() => {
    const room = (window as unknown as { voiceRoomCall: { room: PageRoom | null } }).voiceRoomCall.room;
    return [...(room?.remoteTracks.values() ?? [])].map((t) => t.participant.role ?? 'unlisted');
  });

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-console-'));
  const [customerWav, supervisorWav, clientDir] = await Promise.all([
    makeSpeechWav('Hi, I would like to order a pizza for delivery.', workDir, {
      name: 'customer',
      engine: 'flite',
    }),
    makeSpeechWav('Hello, this is the supervisor, I can help you with that.', workDir, {
      name: 'supervisor',
    }),
    buildClientPage(path.join(workDir, 'client')),
  ]);
  app = await startTestApp({ agent: { pipeline: 'voice' }, clientDir });
  const orm = await openOrm(app.server.config.db);
  try {
    await seedDemoUsers(orm);
  } finally {
    await orm.close(true);
  }
  [customer, supervisor] = await Promise.all([
    launchCallBrowser({ fakeAudioWav: customerWav }),
    launchCallBrowser({ fakeAudioWav: supervisorWav }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([customer?.close(), supervisor?.close()]);
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('agent console', () => {
  it('lets a supervisor listen to a live call, coach the AI, switch to takeover to speak and back to listening', async () => {
    await customer.page.goto(`${app.url}/`);
    await customer.page.click('#call');
    await customer.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });

    const console = supervisor.page;
    await console.goto(`${app.url}/console/`);
    await console.fill('#email', 'supervisor@voiceroom.local');
    await console.fill('#password', DEFAULT_SEED_PASSWORD);
    await console.click('#login button[type="submit"]');
    await console.waitForSelector('#calls li button:has-text("Listen")', { timeout: 15_000 });
    expect(await console.isVisible('#login')).toBe(false);
    await console.click('#calls li button:has-text("Listen")');
    await console.waitForSelector('body[data-call-state="in-call"]', { timeout: 20_000 });

    // Listening silently: hears the call, sees the participants and the live transcript; the customer hears nothing new.
    await pollUntil(
      () => readInboundAudio(console),
      (s) => s.packetsReceived > 0 && s.totalAudioEnergy > 0,
      { timeoutMs: 20_000, what: 'the call audio at the console' },
    );
    const participants = await pollUntil(
      () => console.locator('#participants li').allTextContents(),
      (items) => items.some((item) => item.includes('(AI assistant)')),
      { timeoutMs: 30_000, what: 'the AI agent in the console participant list' },
    );
    expect(participants).toHaveLength(3);
    expect(participants).toEqual(
      expect.arrayContaining(['You', 'Customer (caller)', expect.stringContaining('(AI assistant)')]),
    );
    await pollUntil(
      () => console.locator('#captions li[data-final="true"]').count(),
      (n) => n > 0,
      { timeoutMs: 45_000, intervalMs: 250, what: 'a final transcript line at the console' },
    );
    expect(await customerTrackRoles()).toEqual(['agent_ai']);
    // A supervisor joins listen-only: barging in is not theirs, whispering and taking over are.
    expect(await console.isDisabled('#mode-barge')).toBe(true);
    expect(await console.getAttribute('#mode-listen', 'aria-pressed')).toBe('true');

    await console.fill('#hint-text', 'Offer the customer a free garlic bread.');
    await console.click('#hint button[type="submit"]');
    await pollUntil(
      () => console.textContent('#status'),
      (t) => t === 'Hint sent to the AI.',
      {
        timeoutMs: 10_000,
        what: 'the hint to be accepted',
      },
    );

    // Take over: the AI goes quiet and the supervisor's microphone reaches the customer.
    await console.click('#mode-takeover');
    await console.waitForSelector('#mode-takeover[aria-pressed="true"]', { timeout: 10_000 });
    expect(await console.textContent('#takeover-state')).toBe('· you have taken over');
    await pollUntil(customerTrackRoles, (roles) => roles.length === 2, {
      timeoutMs: 10_000,
      what: "the supervisor's voice to reach the customer",
    });
    // The caller is told that a person took over, in the conversation.
    await customer.page.waitForSelector('#captions li.note:has-text("from our team is now on the line")', {
      timeout: 10_000,
    });

    // Back to listening: the call is handed back and the customer stops receiving the supervisor.
    await console.click('#mode-listen');
    await console.waitForSelector('#mode-listen[aria-pressed="true"]', { timeout: 10_000 });
    expect(await console.getAttribute('#mode-takeover', 'aria-pressed')).toBe('false');
    expect(await console.textContent('#takeover-state')).toBe('');
    await pollUntil(customerTrackRoles, (roles) => roles.length === 1, {
      timeoutMs: 10_000,
      what: "the supervisor's voice to leave the customer",
    });
    await customer.page.waitForSelector('#captions li.note:has-text("The assistant is with you again")', {
      timeout: 10_000,
    });

    await console.click('#leave-call');
    await console.waitForSelector('#call-panel', { state: 'hidden', timeout: 10_000 });
    await customer.page.click('#leave');
  }, 150_000);
});
