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
  /** The latest agent line's check: what it asked, the order before the change and with it. */
  #lastCheck: { phrase: string; before: Order; changed: Order } | undefined;

  constructor(tracker: CallTracker) {
    this.#tracker = tracker;
  }

  /**
   * An agent line: a check that names menu items puts the caller's previous turn on hold. The same check asked right
   * after the caller's answer ("sure" to it: "Sorry, was that a yes? Did you say ...?") was not answered: the change
   * is held again, and checked against the order before it, as the dialog does.
   */
  agentSaid(text: string): void {
    const asked = checkedPhrase(text);
    const words = asked === undefined ? [] : normWords(asked);
    const namesItems = asked !== undefined && this.#tracker.nlu.matcher.findItems(words).length > 0;
    const again = namesItems && this.#lastCheck?.phrase === asked ? this.#lastCheck : undefined;
    if (again) this.#tracker.order.restore(again.changed);
    this.#checked = again ? again.before : namesItems ? this.#beforeTurn : undefined;
    this.#lastCheck =
      namesItems && this.#checked
        ? { phrase: asked, before: this.#checked, changed: this.#tracker.order.copy() }
        : undefined;
  }

  /** Before the tracker hears a caller turn: anything but a clear yes to a pending check undoes the checked change. */
  callerWillSay(text: string): void {
    const checked = this.#checked;
    this.#checked = undefined;
    if (checked && yesNoAnswer(normWords(text), 'check') !== 'yes') this.#tracker.order.restore(checked);
    this.#beforeTurn = this.#tracker.order.copy();
  }
}
