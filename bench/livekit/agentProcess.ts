/**
 * bench:livekit's agent: a child process (as the worker is its own process on mediasoup) that runs one CallSession
 * with the real voice pipeline for the dispatch its parent sends over IPC, and sends the session's events back.
 * Messages in: {type: 'dispatch', dispatch} | {type: 'stop'}; out: {type: 'event', event} | {type: 'ended', reason}.
 */
import { SessionDispatchSchema } from '@voiceroom/protocol';
import { pino } from 'pino';
import { z } from 'zod';
import { StageCache, voicePipelineFactory } from '../../agent-worker/src/pipeline/index.ts';
import { CallSession } from '../../agent-worker/src/worker/CallSession.ts';

const MessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dispatch'), dispatch: SessionDispatchSchema }),
  z.object({ type: z.literal('stop') }),
]);

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const stages = new StageCache({ logger });
let session: CallSession | null = null;
/** The bench may have gone (it stops and disconnects at once): what would be sent then is dropped. */
const send = (message: unknown) => {
  if (process.connected) process.send?.(message, undefined, {}, () => undefined);
};

process.on('message', (raw: unknown) => {
  const parsed = MessageSchema.safeParse(raw);
  if (!parsed.success) {
    logger.error({ issues: parsed.error.issues.slice(0, 3) }, 'ignoring an invalid message from the bench');
    return;
  }
  const message = parsed.data;
  if (message.type === 'stop') {
    session?.stop();
    return;
  }
  CallSession.create({
    dispatch: message.dispatch,
    rtpIp: '127.0.0.1',
    createPipeline: voicePipelineFactory(stages),
    logger,
  }).then(
    (created) => {
      session = created;
      created.on('event', (event) => send({ type: 'event', event }));
      created.on('ended', (reason) => {
        session = null;
        send({ type: 'ended', reason });
      });
      send({ type: 'started' });
    },
    (error: unknown) => send({ type: 'ended', reason: `failed: ${String(error)}` }),
  );
});
process.on('disconnect', () => {
  session?.stop();
  stages.close();
  process.exit(0);
});
