/**
 * The whole product from the customer's side, on each media backend: the real server (database, signaling, mediasoup
 * or a real livekit-server node with its signed webhooks) serves the built call page; a real agent worker process
 * answers. The customer clicks Call in Chromium, hears the AI agent, sees it in the participant list, its state and
 * its captions, and the caller's own speech comes back as captions; after the hang-up the call is recorded as ended
 * in MariaDB with the order extracted from it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTranscript } from '../../agent-worker/src/stages/stt/lm/normalize.ts';
import { wordErrors } from '../../agent-worker/src/stages/stt/wordErrorRate.ts';
import { type MikroORM, openOrm } from '../../server/src/db/orm.ts';
import { LIVEKIT_WEBHOOK_PATH } from '../../server/src/sfuConfig.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  type CallBrowser,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../helpers/browser.ts';
import { buildClientPage } from '../helpers/clientPage.ts';
import { startLiveKitNode, type TestLiveKit, testLiveKitKeys } from '../helpers/livekit.ts';

const SAID = 'Hello. I would like to order a large pepperoni pizza, please.';
const GREETING = "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?";
/** This file's LiveKit node: apart from every other test's range (see test/helpers/livekit.ts). */
const LIVEKIT_NODE = { port: 7920, rtcPortRange: [53_600, 53_799] as const };

type Backend = 'mediasoup' | 'livekit';

interface CallRow {
  id: string;
  status: string;
  end_reason: string | null;
}

describe.each<Backend>(['mediasoup', 'livekit'])('a customer calling the AI agent on %s', (backend) => {
  let workDir: string;
  let app: TestApp;
  let livekit: TestLiveKit | undefined;
  let caller: CallBrowser;
  let orm: MikroORM;

  const captions = () =>
    caller.page.$$eval('#captions li', (items) =>
      items.map((li) => ({
        speaker: (li as HTMLElement).dataset.speaker ?? '',
        final: (li as HTMLElement).dataset.final === 'true',
        text: li.querySelector('.text')?.textContent ?? '',
      })),
    );

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), `voiceroom-customer-call-${backend}-`));
    const [said, clientDir] = await Promise.all([
      makeSpeechWav(SAID, workDir, { engine: 'flite' }),
      buildClientPage(path.join(workDir, 'client')),
    ]);
    // the fake microphone loops its file: 5 s of silence before and after the sentence let the greeting play and
    // the agent answer, as a caller who waits for the other side would
    const wav = path.join(workDir, 'caller.wav');
    await promisify(execFile)('sox', [said, wav, 'pad', '5', '5']);
    const keys = testLiveKitKeys();
    app = await startTestApp({
      agent: { pipeline: 'voice' },
      clientDir,
      ...(backend === 'livekit'
        ? {
            env: {
              SFU_BACKEND: 'livekit',
              LIVEKIT_URL: `ws://127.0.0.1:${LIVEKIT_NODE.port}`,
              LIVEKIT_API_KEY: keys.apiKey,
              LIVEKIT_API_SECRET: keys.apiSecret,
            },
          }
        : {}),
    });
    if (backend === 'livekit') {
      // the webhook URL names the app, so the node starts after it (the app reaches LiveKit only once a call starts)
      livekit = await startLiveKitNode({
        ...LIVEKIT_NODE,
        keys,
        webhookUrl: `${app.url}${LIVEKIT_WEBHOOK_PATH}`,
        // LiveKit closes the room soon after the last participant left (room_finished); the call record ends on that
        // or on our signaling room emptying, whichever comes first
        departureTimeoutS: 2,
      });
    }
    orm = await openOrm(app.server.config.db);
    caller = await launchCallBrowser({ fakeAudioWav: wav });
  }, 120_000);

  afterAll(async () => {
    await caller?.close();
    await orm?.close(true);
    await livekit?.stop();
    await app?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("hears the agent, sees it and its state, reads the agent's greeting and its own words as captions, and the ended call has its order extracted", async () => {
    await caller.page.goto(`${app.url}/`);
    expect(await caller.page.textContent('#call')).toBe('Call');
    await caller.page.click('#call');
    await caller.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });

    const participants = await pollUntil(
      () => caller.page.locator('#participants li').allTextContents(),
      (items) => items.some((item) => item.includes('(AI assistant)')),
      { timeoutMs: 20_000, what: 'the AI agent to join the call' },
    );
    expect(participants[0]).toBe('You');

    const heard = await pollUntil(
      () => readInboundAudio(caller.page),
      // The agent talks in turns, so test the energy rendered so far rather than the level of this instant.
      (stats) => stats.packetsReceived > 0 && stats.totalAudioEnergy > 0,
      { timeoutMs: 20_000, what: "the agent's voice at the caller" },
    );
    expect(heard.streams).toBeGreaterThan(0);

    const conversation = await pollUntil(
      captions,
      (lines) =>
        lines.some(
          (l) => l.speaker === 'agent' && l.final && !['', '(interrupted)'].includes(l.text.trim()),
        ) && lines.some((l) => l.speaker === 'customer' && l.final && /pepperoni/i.test(l.text)),
      // "Hello." may end as a turn and caption of its own before the order's caption comes (a loaded machine)
      { timeoutMs: 45_000, intervalMs: 250, what: "final captions of the agent and of the caller's order" },
    );
    // the agent's captions are its words: the greeting (or as much as was heard before the caller talked over it,
    // shown with "…") or its answer to the order
    const agentLines = conversation
      .filter((l) => l.speaker === 'agent' && l.final)
      .map((l) => l.text.replace(/\s*…$/, ''))
      .filter((t) => t !== '' && t !== '(interrupted)');
    expect(
      agentLines.some((t) => GREETING.startsWith(t) || /pepperoni/i.test(t)),
      JSON.stringify(agentLines),
    ).toBe(true);
    // the caller's captions are what the caller said, as recognised: the order's words, most of the sentence right.
    // A caption is one utterance, so a pause the VAD heard inside the sentence (on a loaded machine, a gap in the
    // audio the agent receives) shows it as two lines, one after the other.
    const own = conversation.filter((l) => l.speaker === 'customer' && l.final).map((l) => l.text);
    const readings = [...own, ...own.slice(1).map((text, i) => `${own[i]} ${text}`)];
    const best = readings
      .map((text) => ({ text, ...wordErrors(SAID, text) }))
      .sort((a, b) => a.errors - b.errors)[0];
    expect(best?.errors, `caller captions: ${JSON.stringify(own)}`).toBeLessThanOrEqual(
      (best?.words ?? 0) / 2,
    );
    expect(normalizeTranscript(best?.text ?? '')).toEqual(expect.arrayContaining(['large', 'pepperoni']));
    // The page shows the state the agent reported (before any report it reads "not connected").
    expect(await caller.page.textContent('#agent-state')).not.toBe('not connected');
    // the agent answered the order (its reply names the item) before the caller hangs up
    await pollUntil(
      captions,
      (lines) => lines.some((l) => l.speaker === 'agent' && l.final && /pepperoni/i.test(l.text)),
      { timeoutMs: 45_000, intervalMs: 250, what: "the agent's answer to the order" },
    );

    const [call] = await orm.em
      .fork()
      .execute<CallRow[]>('select id, status, end_reason from calls order by started_at desc limit 1');
    expect(call?.status).toBe('active');
    await caller.page.click('#leave');
    // the page says so once leaving is done (on LiveKit that waits for its room to disconnect)
    await caller.page.waitForFunction(
      () => document.querySelector('#status')?.textContent === 'You hung up.',
      undefined,
      { timeout: 10_000 },
    );

    const ended = await pollUntil(
      async () =>
        (
          await orm.em
            .fork()
            .execute<CallRow[]>('select id, status, end_reason from calls where id = ?', [call?.id])
        )[0],
      (row) => row?.status === 'ended',
      { timeoutMs: 30_000, intervalMs: 250, what: 'the call record to end after the hang-up' },
    );
    expect(ended?.end_reason).toBeTruthy();
    // one customer and one agent in the record: on LiveKit the caller's control connection (our signaling, for
    // captions) is not a second participant beside its LiveKit identity
    const people = await orm.em
      .fork()
      .execute<{ peer_id: string; role: string }[]>(
        'select p.peer_id, p.role from participants p where p.call_id = ? order by p.role',
        [call?.id],
      );
    expect(people.map((p) => p.role)).toEqual(['agent_ai', 'customer']);
    if (backend === 'livekit') expect(people[1]?.peer_id).toMatch(/^customer:/);
    const items = await pollUntil(
      () =>
        orm.em.fork().execute<{ name: string; size: string | null; quantity: number }[]>(
          `select i.name, i.size, i.quantity from order_items i join orders o on o.id = i.order_id
           where o.call_id = ?`,
          [call?.id],
        ),
      (rows) => rows.length > 0,
      { timeoutMs: 60_000, intervalMs: 500, what: "the call's extracted order" },
    );
    expect(items).toContainEqual(expect.objectContaining({ name: 'pepperoni pizza', size: 'large' }));
  }, 240_000);
});
