import { ScriptedDialog } from '../../src/dialog/ScriptedDialog.ts';
import type { ScriptedDialogSession } from '../../src/dialog/ScriptedDialogSession.ts';
import { pizzeria } from '../nlu/pizzeria.ts';
import { turn } from './collect.ts';

/** A new call of the scripted dialog on the pizzeria agent. */
export function session(): ScriptedDialogSession {
  return new ScriptedDialog({ config: pizzeria() }).createSession() as ScriptedDialogSession;
}

/** Plays caller turns on one session; returns the agent's replies as text. */
export async function play(s: ScriptedDialogSession, ...utterances: string[]): Promise<string[]> {
  const replies: string[] = [];
  for (const u of utterances) replies.push((await turn(s, u)).text);
  return replies;
}
