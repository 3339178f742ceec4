/**
 * bench:livekit's mediasoup side: bench:voice's conversation with its Chromium caller through the real server,
 * mediasoup and an agent worker process (the existing path), scored as bench:voice scores it.
 */
import type { AgentState, TranscriptEvent } from '@voiceroom/protocol';
import { launchCallBrowser, makeSpeechWav, pollUntil } from '../../test/helpers/browser.ts';
import { type ConversationOptions, runConversation } from '../voiceConversation.ts';
import { installScriptedMicrophone, say } from '../voiceMicrophone.ts';
import { agentAudibleSince, pageClockOffset, readAudioProbe, startAudioProbe } from '../voiceScenario.ts';
import type { ScoredTurn } from '../voiceTurns.ts';

export async function mediasoupConversation(
  options: Omit<ConversationOptions, 'caller' | 'agent'> & { workDir: string },
): Promise<ScoredTurn[]> {
  const { startTestApp } = await import('../../test/helpers/app.ts');
  const app = await startTestApp({ agent: { pipeline: 'voice', capacity: 2 } });
  const transcripts: TranscriptEvent[] = [];
  const states: Array<{ roomId: string; state: AgentState; t: number }> = [];
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  app.server.bus.on('agent.state', ({ roomId, state }) => {
    states.push({ roomId, state, t: performance.now() });
  });
  const browser = await launchCallBrowser({
    fakeAudioWav: await makeSpeechWav('unused', options.workDir, { name: 'unused' }),
  });
  await installScriptedMicrophone(browser.context);
  const { page } = browser;
  try {
    await page.goto(`${app.url}/`);
    await startAudioProbe(page);
    await page.click('#call');
    await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
    const greeting = await pollUntil(
      async () => transcripts.find((t) => t.speaker === 'agent' && t.final),
      (t) => t !== undefined,
      { timeoutMs: 30_000, intervalMs: 20, what: 'the greeting' },
    );
    const roomId = greeting?.roomId;
    const offset = await pageClockOffset(page);
    const scored = await runConversation({
      ...options,
      caller: {
        now: () => page.evaluate(() => performance.now()),
        audibleSince: (t) => agentAudibleSince(page, t),
        say: (speech) => say(page, speech),
        samples: () => readAudioProbe(page),
      },
      agent: {
        states: () =>
          states.flatMap((s) => (s.roomId === roomId ? [{ state: s.state, t: s.t + offset }] : [])),
        customerFinals: () =>
          transcripts.filter((t) => t.roomId === roomId && t.speaker === 'customer' && t.final),
      },
    });
    await page.click('#leave');
    return scored;
  } catch (error) {
    options.log('mediasoup conversation failed', { agentOutput: app.agentOutput().slice(-2000) });
    throw error;
  } finally {
    await browser.close();
    await app.close();
  }
}
