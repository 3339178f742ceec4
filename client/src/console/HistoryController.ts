import type { CallDetailView } from './CallDetailView.ts';
import type { ConsoleApi } from './ConsoleApi.ts';
import type { HistoryView } from './HistoryView.ts';

/**
 * Call history and detail: search with filters, page through, open a call, approve or correct its extraction.
 * `run` reports failures on the page.
 */
export class HistoryController {
  readonly #api: ConsoleApi;
  readonly #list: HistoryView;
  readonly #detail: CallDetailView;
  readonly #run: (action: () => Promise<void>) => void;
  #page = 1;
  #openCallId: string | null = null;

  constructor(
    api: ConsoleApi,
    views: { list: HistoryView; detail: CallDetailView },
    run: (action: () => Promise<void>) => void,
  ) {
    this.#api = api;
    this.#list = views.list;
    this.#detail = views.detail;
    this.#run = run;
    this.#list.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.search(1);
    });
    this.#list.prevButton.addEventListener('click', () => this.search(this.#page - 1));
    this.#list.nextButton.addEventListener('click', () => this.search(this.#page + 1));
    this.#detail.approveButton.addEventListener('click', () =>
      this.#review((jobId, note) => this.#api.approveExtraction(jobId, note)),
    );
    this.#detail.reviewForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const { resultText } = this.#detail.review();
      let result: unknown;
      try {
        result = JSON.parse(resultText);
      } catch {
        this.#run(async () => {
          throw new Error(
            'The corrected result is not valid JSON: fix it (quotes, commas, brackets) and save again.',
          );
        });
        return;
      }
      this.#review((jobId, note) => this.#api.correctExtraction(jobId, result, note));
    });
  }

  search(page = this.#page): void {
    this.#run(async () => {
      const result = await this.#api.calls(this.#list.filter(Math.max(1, page)));
      this.#page = result.page;
      this.#list.render(result, (call) => this.open(call.id));
    });
  }

  open(callId: string): void {
    this.#run(async () => {
      this.#openCallId = callId;
      this.#detail.render(await this.#api.call(callId));
    });
  }

  reset(): void {
    this.#openCallId = null;
    this.#page = 1;
    this.#detail.hide();
  }

  #review(action: (jobId: number, note: string | undefined) => Promise<void>): void {
    const callId = this.#openCallId;
    if (!callId) return;
    this.#run(async () => {
      const jobId = (await this.#api.call(callId)).extraction?.jobId;
      if (jobId === undefined) throw new Error('This call has no extraction to review.');
      await action(jobId, this.#detail.review().note);
      this.#detail.render(await this.#api.call(callId));
      this.search();
    });
  }
}
