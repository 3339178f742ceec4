/**
 * The human agent console against the whole product: a customer calls the AI agent from the call page; a supervisor
 * signs in to the console (client/console/), sees the live call, listens silently with the live transcript, coaches
 * the AI with a hint (its next reply carries it out), switches to takeover (the AI goes silent, the customer hears
 * the supervisor and is told a person took over) and back to listening (the call is handed back; the customer no
 * longer lists the supervisor).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TranscriptEvent } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { type CallBrowser, inPage, makeSpeechWav, pollUntil, readInboundAudio } from '../helpers/browser.ts';
import { type CallScene, startCallScene, startCustomerCall } from '../helpers/callScene.ts';
import { signInConsole } from '../helpers/consoleUsers.ts';

let scene: CallScene;
let app: TestApp;
let customer: CallBrowser;
let supervisor: CallBrowser;

type PageRoom = { remoteTracks: Map<string, { participant: { role?: string }; track: MediaStreamTrack }> };
const transcripts: TranscriptEvent[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const customerTrackRoles = () =>
  inPage("reading the customer's remote tracks", () =>
    customer.page.evaluate(() => {
      const room = (window as unknown as { voiceRoomCall: { room: PageRoom | null } }).voiceRoomCall.room;
      return [...(room?.remoteTracks.values() ?? [])].map((t) => t.participant.role ?? 'unlisted');
    }),
  );

const customerParticipantRoles = () =>
  inPage("reading the customer's participants", () =>
    customer.page.evaluate(() => {
      const w = window as unknown as {
        voiceRoomCall: { room: { participants: Map<string, { role?: string }> } | null };
      };
      return [...(w.voiceRoomCall.room?.participants.values() ?? [])].map((p) => p.role ?? 'unlisted');
    }),
  );

/** What the customer has received from each role so far: packets and audio energy (inbound-rtp of its track). */
const customerAudioByRole = () =>
  inPage("reading the customer's audio by role", () =>
    customer.page.evaluate(async () => {
      const w = window as unknown as {
        voiceRoomCall: { room: PageRoom | null };
        __voiceRoomPeerConnections?: RTCPeerConnection[];
      };
      const byRole: Record<string, { packets: number; energy: number }> = {};
      for (const remote of w.voiceRoomCall.room?.remoteTracks.values() ?? []) {
        const role = remote.participant.role ?? 'unlisted';
        const sum = byRole[role] ?? { packets: 0, energy: 0 };
        byRole[role] = sum;
        for (const pc of w.__voiceRoomPeerConnections ?? []) {
          if (pc.connectionState === 'closed' || !pc.getReceivers().some((r) => r.track === remote.track))
            continue;
          (await pc.getStats(remote.track)).forEach((s: Record<string, unknown>) => {
            if (s.type !== 'inbound-rtp') return;
            sum.packets += Number(s.packetsReceived ?? 0);
            sum.energy += Number(s.totalAudioEnergy ?? 0);
          });
        }
      }
      return byRole;
    }),
  );

beforeAll(async () => {
  scene = await startCallScene({
    name: 'console',
    prepare: async (workDir) => {
      const [customerSentence, staffWav] = await Promise.all([
        makeSpeechWav('Hi, I would like to order a pizza for delivery.', workDir, {
          name: 'customer',
          engine: 'flite',
        }),
        makeSpeechWav('Hello, this is the supervisor, I can help you with that.', workDir, {
          name: 'supervisor',
        }),
      ]);
      // the fake microphone loops its file: 5 s of silence after the sentence leave the AI time to answer
      const customerWav = path.join(workDir, 'customer-paced.wav');
      await promisify(execFile)('sox', [customerSentence, customerWav, 'pad', '0', '5']);
      return { customerWav, staffWav };
    },
  });
  ({ app, customer, staff: supervisor } = scene);
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
}, 120_000);

afterAll(() => scene?.close());

describe('agent console', () => {
  it('lets a supervisor listen, coach the AI (its next reply follows the hint), take over (the AI goes silent and the customer hears the supervisor) and hand back', async () => {
    await startCustomerCall(customer.page, app.url);

    const console = supervisor.page;
    await signInConsole(console, app.url, 'supervisor');
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
    // A reply the AI had begun before the hint was in (its customer's looping microphone keeps it talking) is not the
    // one the hint is for: the segments seen by now are not the next reply.
    const agentSegmentsBefore = new Set(
      transcripts.filter((t) => t.speaker === 'agent').map((t) => t.segmentId),
    );
    // the AI's next reply (its first new utterance once the hint is in) opens with the offer
    const nextReply = await pollUntil(
      async () =>
        transcripts.filter((t) => t.speaker === 'agent' && !agentSegmentsBefore.has(t.segmentId)).at(0)
          ?.segmentId,
      (id) => id !== undefined,
      { timeoutMs: 45_000, intervalMs: 100, what: "the AI's next reply after the hint" },
    );
    const replyText = await pollUntil(
      async () =>
        transcripts
          .filter((t) => t.segmentId === nextReply)
          .map((t) => t.text)
          .at(-1) ?? '',
      (text) => text.length >= 'We can also offer you a free garlic bread'.length,
      { timeoutMs: 20_000, intervalMs: 100, what: "the first sentence of the AI's next reply" },
    );
    expect(replyText).toMatch(/^We can also offer you a free garlic bread/);

    // Take over: the AI goes quiet and the supervisor's microphone reaches the customer.
    await console.click('#mode-takeover');
    await console.waitForSelector('#mode-takeover[aria-pressed="true"]', { timeout: 10_000 });
    expect(await console.textContent('#takeover-state')).toBe('· you have taken over');
    await pollUntil(customerTrackRoles, (roles) => roles.length === 2, {
      timeoutMs: 10_000,
      what: "the supervisor's voice to reach the customer",
    });
    // taken over: for 9 s (more than one round of the customer's sentence, which the AI would answer) the customer
    // hears the supervisor and nothing more from the AI it heard before (one second first for AI audio in flight)
    await sleep(1_000);
    const before = await customerAudioByRole();
    expect(before.agent_ai?.energy ?? 0).toBeGreaterThan(0);
    await sleep(9_000);
    const after = await customerAudioByRole();
    const human = Object.keys(after).find((role) => role !== 'agent_ai') as string;
    expect(after[human]?.energy ?? 0).toBeGreaterThan((before[human]?.energy ?? 0) + 1e-3);
    expect(after[human]?.packets ?? 0).toBeGreaterThan((before[human]?.packets ?? 0) + 100);
    expect(after.agent_ai?.energy ?? 0).toBeLessThan((before.agent_ai?.energy ?? 0) + 1e-5);
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
    // Listening again, the supervisor is not shown to the customer any more: not in its participant list, not in
    // its room's participants (a voice the server does not list is known only while it is heard).
    expect(await customer.page.locator('#participants li').allTextContents()).toEqual([
      'You',
      expect.stringContaining('(AI assistant)'),
    ]);
    expect(await customerParticipantRoles()).toEqual(['agent_ai']);

    await console.click('#leave-call');
    await console.waitForSelector('#call-panel', { state: 'hidden', timeout: 10_000 });
    await customer.page.click('#leave');
  }, 150_000);
});
