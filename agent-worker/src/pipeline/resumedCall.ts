import type { DialogSession } from '@voiceroom/agent-core/stages';
import type { SessionResume } from '@voiceroom/protocol';
import type { ChatHistory } from './ChatHistory.ts';

/** What an agent taking over a call from a lost one says first, instead of the greeting. */
export const RESUMED = 'Sorry about that, I am back with you.';
/** Its question when the dialog cannot say where the call stands. */
export const RESUMED_OPEN = 'Where were we?';

/**
 * Takes a call over from a lost agent: the conversation so far goes into `history` (agent lines as far as the caller
 * heard them, a human agent's words as theirs), the dialog session rebuilds its own state from it, and the line to
 * open with is returned: an apology for the gap and the question that picks the call up where it stands.
 */
export function resumeCall(resume: SessionResume, history: ChatHistory, dialog: DialogSession): string {
  for (const line of resume.transcript) {
    if (line.speaker === 'customer') history.addUser(line.text);
    else if (line.speaker === 'agent') history.addAssistant(line.text);
    else history.addHuman(line.text);
  }
  const question = dialog.resume?.(history.messages) ?? RESUMED_OPEN;
  return `${RESUMED} ${question}`;
}
