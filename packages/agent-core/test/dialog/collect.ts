import type { DialogChunk, DialogSession } from '../../src/stages/types.ts';

/** Runs one turn and gathers what the session streamed. */
export async function turn(
  session: DialogSession,
  userText: string,
  options: {
    history?: Array<{ role: 'user' | 'assistant'; content: string }>;
    hints?: string[];
    signal?: AbortSignal;
    /** What the recogniser said about `userText`: its confidence and other hypotheses. */
    confidence?: number;
    alternatives?: string[];
    /** What of the agent's last reply the caller did not hear (see DialogTurnInput). */
    unheardAsk?: string;
  } = {},
): Promise<{ chunks: DialogChunk[]; text: string }> {
  const history = [...(options.history ?? []), { role: 'user' as const, content: userText }];
  const chunks: DialogChunk[] = [];
  for await (const c of session.respond(
    {
      history,
      userText,
      hints: options.hints ?? [],
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
      ...(options.alternatives ? { alternatives: options.alternatives } : {}),
      ...(options.unheardAsk !== undefined ? { unheardAsk: options.unheardAsk } : {}),
    },
    options.signal ?? new AbortController().signal,
  )) {
    chunks.push(c);
  }
  options.history?.push({ role: 'user', content: userText });
  const text = chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');
  options.history?.push({ role: 'assistant', content: text });
  return { chunks, text };
}
