import type { OverAgentReading } from '@voiceroom/agent-core/stages';
import { CallerVoice } from './CallerVoice.ts';
import { classifyOverlap, judgeOverAgent, type Overlap } from './overlap.ts';
import { StopWords } from './StopWords.ts';

/** A partial or a final of the caller's speech (TurnInput's user_transcript). */
interface HeardText {
  text: string;
  final: boolean;
  alternatives?: readonly string[];
  overAgent?: OverAgentReading;
}

/**
 * The caller's current speech and the room's voices in it. Background voices may start the speech before the caller's
 * own voice and hold it open after (`voice`: where the caller's voice is); the recogniser then fills the speech with
 * the room's words around the caller's, so what it heard of stop words anywhere in the speech (`stops`) tells the
 * caller's short stop request from their backchannel. Times: `speechEndMs` is the speech's end (now while it goes
 * on), `limitMs` the longest a backchannel lasts.
 */
export class RoomHeldSpeech {
  readonly voice = new CallerVoice();
  readonly stops = new StopWords();
  /** The speech began over the agent's audible reply: only that can be a backchannel. */
  #overAudio = false;

  /** A new speech began at `atMs`, over the agent's audible reply or not. */
  started(atMs: number, overAudio: boolean): void {
    this.voice.speechStarted(atMs);
    this.stops.reset();
    this.#overAudio = overAudio;
  }

  /** Whether the speech began over the agent's audible reply. */
  get overAudio(): boolean {
    return this.#overAudio;
  }

  /**
   * What a partial or a final makes of the speech over the agent (judgeOverAgent). The over-agent grammar's stop
   * counts with a stop word only in the open model's other hypotheses unless the room held a short caller voice open:
   * there they both make "hang on" of the room's voices. A final of other words after a partial's bare stop word
   * waited for it (StopWords.defer) is that stop. `textOverlap` is classifyOverlap(heard.text), passed by a caller
   * that has it.
   */
  judge(
    heard: HeardText,
    speechEndMs: number,
    limitMs: number,
    textOverlap = classifyOverlap(heard.text),
  ): Overlap {
    this.stops.heard(heard.text, heard.alternatives, heard.overAgent?.phrase, textOverlap);
    const openHeardStop =
      this.stops.inBest || (this.stops.anywhere && !this.shortVoice(speechEndMs, limitMs));
    const judged = judgeOverAgent(heard.text, heard.overAgent, {
      openHeardStop,
      voiceAlone: this.voice.alone,
      textOverlap,
    });
    return heard.final && this.stops.deferred && judged === 'speech' ? 'stop' : judged;
  }

  /** Over the agent's audible reply, the caller's own voice in the speech was shorter than a sentence (CallerVoice). */
  shortVoice(speechEndMs: number, limitMs: number): boolean {
    return this.#overAudio && this.voice.shortIn(speechEndMs, limitMs);
  }

  /**
   * The room's voices held the speech open around a short caller voice and filled it with their words: the caller's
   * "yeah", the room's "could i have one". The caller's voice is as short as a backchannel, so the room's words are
   * not theirs (bench:overlap seed 2, babble: 9 of 16 false stops were such lines whose partials held no backchannel
   * word, which this once required). A stop word the recogniser heard anywhere in the speech (a partial, a final's
   * best or other hypotheses) may be the caller's own under the room's words: then it is no backchannel (seed 2,
   * babble: 5 of 16 missed stop words had one only among the final's other hypotheses, "wait" finalised as "please
   * do" with "no wait" and "wait" among them). Not one only there where the over-agent grammar heard a stop request
   * too: in babble both make "hang on" of the room's voices (a second seed 2 run: 2 backchannels stopped so).
   */
  backchannel(speechEndMs: number, limitMs: number): boolean {
    const stop = this.stops.inBest || (this.stops.anywhere && !this.stops.inGrammar);
    return !stop && this.shortVoice(speechEndMs, limitMs);
  }
}
