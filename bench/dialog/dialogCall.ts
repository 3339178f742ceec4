/**
 * One generated conversation played turn by turn between the scripted caller and a dialog session, through a
 * recogniser given as `hear` (PocketSphinx on the rendered caller audio in bench:dialog; the said text itself in
 * tests). As robustnessCall.ts plays it through the real call path, without its timing: the whole caller line is one
 * turn (no endpointing, so no cut-offs), nothing is said over the agent (no backchannels or barge-ins), and the
 * agent's reply is heard out in full.
 */

import type { ChatMessage, DialogSession, DialogTurnInput } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import type { Conversation, OrderLine, Utterance } from '../robustness/conversation.ts';
import { noiseLabel } from '../robustness/conversation.ts';
import { type Heard, recordHeard } from '../robustness/heard.ts';
import { TURN_CAP } from '../robustness/robustnessCall.ts';
import { type CallerTurn, classifyAgentAsk, isLoop, ScriptedCaller } from '../robustness/ScriptedCaller.ts';
import {
  type Extracted,
  type Outcome,
  parseAcknowledged,
  parseChecked,
  parseReadBack,
} from '../robustness/score.ts';

/** Recognises `utterance` as said after the agent said `agentReply` (which decides what it listens for). */
export type Hear = (utterance: Utterance, agentReply: string) => Promise<Heard>;

/** loop: the same answer to the same question three times; turn_cap: TURN_CAP caller turns without an end. */
export type DialogOutcome = Exclude<Outcome, 'loop' | 'silence'> | 'loop' | 'turn_cap';

export interface DialogCallRecord {
  index: number;
  voice: string;
  noise: string;
  wpm: number;
  outcome: DialogOutcome;
  intended: Conversation['intended'];
  phoneSaid: boolean;
  /** The order in the agent's last read-back. */
  confirmed: OrderLine[] | null;
  /** The order and customer the dialog holds at the end (what extraction takes as confirmed). */
  held: Extracted | null;
  /** What post-call extraction stores from the call's transcript (the agent's lines and what was heard). */
  extracted: Extracted | null;
  turns: number;
  transcript: {
    caller: string;
    heard: string;
    alternatives: readonly string[];
    confidence: number;
    agent: string;
  }[];
  error?: string;
}

/** The order and customer a scripted session holds (undefined for a dialog that keeps no state of its own). */
export type ReadHeld = (session: DialogSession) => DialogCallRecord['held'];

/** One line of the call's transcript as the server stores it for extraction. */
export interface SpokenLine {
  speaker: 'agent' | 'customer';
  text: string;
}

/** Post-call extraction of a finished call's transcript. */
export type Extract = (transcript: readonly SpokenLine[]) => Promise<Extracted>;

export interface DialogCallOptions {
  session: DialogSession;
  greeting: string;
  menu: AgentConfig['menu'];
  hear: Hear;
  readHeld?: ReadHeld;
  extract?: Extract;
}

async function reply(session: DialogSession, input: DialogTurnInput): Promise<string> {
  let text = '';
  for await (const chunk of session.respond(input, new AbortController().signal))
    if (chunk.type === 'text') text += chunk.text;
  return text.trim();
}

export async function runDialogCall(c: Conversation, options: DialogCallOptions): Promise<DialogCallRecord> {
  const { session, menu } = options;
  const caller = new ScriptedCaller(c);
  const history: ChatMessage[] = [{ role: 'assistant', content: options.greeting }];
  const transcript: DialogCallRecord['transcript'] = [];
  const turns: CallerTurn[] = [];
  let agent = options.greeting;
  let confirmed: OrderLine[] | null = null;
  let outcome: DialogOutcome = 'turn_cap';
  let phoneSaid = false;
  let error: string | undefined;
  try {
    for (;;) {
      confirmed = parseReadBack(agent, menu) ?? confirmed;
      const next = caller.answer(agent, {
        readBack: parseReadBack(agent, menu),
        acknowledged: parseAcknowledged(agent, menu),
        checked: parseChecked(agent, menu),
      });
      if (!next) {
        const ended = classifyAgentAsk(agent);
        outcome = ended === 'placed' ? 'placed' : ended === 'handoff' ? 'handoff' : 'goodbye';
        break;
      }
      turns.push(next);
      if (isLoop(turns)) {
        outcome = 'loop';
        break;
      }
      if (turns.length > TURN_CAP) break;
      phoneSaid ||= next.utterance.segments.some((s) => /number is/.test(s));
      const heard = await options.hear(next.utterance, agent);
      history.push({ role: 'user', content: heard.text });
      const answer = await reply(session, {
        history: [...history],
        userText: heard.text,
        hints: [],
        confidence: heard.confidence,
        ...(heard.alternatives.length > 0 ? { alternatives: heard.alternatives } : {}),
      });
      history.push({ role: 'assistant', content: answer });
      const { text, alternatives, confidence } = recordHeard(heard);
      transcript.push({
        caller: next.utterance.segments.join(' … '),
        heard: text,
        alternatives,
        confidence,
        agent: answer,
      });
      agent = answer;
    }
  } catch (err) {
    outcome = 'error';
    error = String(err);
  }
  const spoken: SpokenLine[] = [
    { speaker: 'agent', text: options.greeting },
    ...transcript.flatMap((t): SpokenLine[] => [
      { speaker: 'customer', text: t.heard },
      { speaker: 'agent', text: t.agent },
    ]),
  ];
  return {
    index: c.index,
    voice: `${c.voice.engine}:${c.voice.name}`,
    noise: noiseLabel(c.noise),
    wpm: c.wpm,
    outcome,
    intended: c.intended,
    phoneSaid,
    confirmed,
    held: options.readHeld?.(session) ?? null,
    extracted: options.extract ? await options.extract(spoken) : null,
    turns: turns.length,
    transcript,
    ...(error ? { error } : {}),
  };
}
