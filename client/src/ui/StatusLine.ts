import { byId } from './dom.ts';

/** A page's status line (#status, polite live region) and error banner (#error, alert with data-code). */
export class StatusLine {
  readonly #status = byId<HTMLElement>('status');
  readonly #error = byId<HTMLElement>('error');

  /** `state` lands on <body data-call-state> for styling and tests. */
  set(text: string, state: string): void {
    this.#status.textContent = text;
    document.body.dataset.callState = state;
  }

  showError(error: { code?: string | undefined; message: string } | null): void {
    this.#error.hidden = error === null;
    this.#error.textContent = error?.message ?? '';
    if (error?.code) this.#error.dataset.code = error.code;
    else delete this.#error.dataset.code;
  }
}
