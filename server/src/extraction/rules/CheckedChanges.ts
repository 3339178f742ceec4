import {
  type CallTracker,
  checkedPhrase,
  normWords,
  type Order,
  yesNoAnswer,
} from '@voiceroom/agent-core/nlu';

/**
 * The agent's checks of order changes it heard but did not trust ("Did you say six caesar salads?"): the dialog
 * keeps such a change only on a clear yes and otherwise puts the order back as it was before the caller's turn.
 * Replaying the call, the extraction does the same, so a change the caller turned down is not stored.
 */
export class CheckedChanges {
  readonly #tracker: CallTracker;
  /** The order before the caller's latest turn. */
  #beforeTurn: Order | undefined;
  /** Set while an agent check of the latest turn's change waits for the caller's answer. */
  #checked: Order | undefined;

  constructor(tracker: CallTracker) {
    this.#tracker = tracker;
  }

  /** An agent line: a check that names menu items puts the caller's previous turn on hold. */
  agentSaid(text: string): void {
    const asked = checkedPhrase(text);
    const words = asked === undefined ? [] : normWords(asked);
    const namesItems = this.#tracker.nlu.matcher.findItems(words).length > 0;
    this.#checked = namesItems ? this.#beforeTurn : undefined;
  }

  /** Before the tracker hears a caller turn: anything but a clear yes to a pending check undoes the checked change. */
  callerWillSay(text: string): void {
    const checked = this.#checked;
    this.#checked = undefined;
    if (checked && yesNoAnswer(normWords(text), 'check') !== 'yes') this.#tracker.order.restore(checked);
    this.#beforeTurn = this.#tracker.order.copy();
  }
}
