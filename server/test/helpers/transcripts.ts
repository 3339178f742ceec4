import type { Speaker } from '@voiceroom/protocol';
import type { CallEventBus } from '../../src/CallEventBus.ts';

/** Publishes a scripted conversation as final transcript events, 2 s apart, the way the agent gateway does. */
export function emitFinalTranscript(
  bus: CallEventBus,
  roomId: string,
  lines: readonly [Speaker, string][],
): void {
  for (const [i, [speaker, text]] of lines.entries()) {
    bus.emit('transcript', {
      roomId,
      segmentId: `s${i}`,
      speaker,
      text,
      final: true,
      startMs: i * 2000,
      endMs: i * 2000 + 1500,
      interrupted: false,
    });
  }
}
