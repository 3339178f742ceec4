import { formatDuration } from '../CallClock.ts';
import { byId } from '../ui/dom.ts';
import type { CallFilter, CallPage, CallSummary } from './ConsoleApi.ts';

const PAGE_SIZE = 20;

/** Call history (#history): the search form, one row per call (a button opens its detail) and the pager. */
export class HistoryView {
  readonly form = byId<HTMLFormElement>('history-filter');
  readonly prevButton = byId<HTMLButtonElement>('history-prev');
  readonly nextButton = byId<HTMLButtonElement>('history-next');
  readonly #rows = byId<HTMLTableSectionElement>('history-rows');
  readonly #summary = byId<HTMLElement>('history-summary');

  /** The form's filters for `page`; dates are whole local days (to is inclusive). */
  filter(page: number): CallFilter {
    const data = new FormData(this.form);
    const text = (name: string): string | undefined => String(data.get(name) ?? '').trim() || undefined;
    const day = (name: string, plusDays = 0): string | undefined => {
      const value = text(name);
      if (!value) return undefined;
      const date = new Date(`${value}T00:00:00`);
      date.setDate(date.getDate() + plusDays);
      return date.toISOString();
    };
    return {
      q: text('q'),
      status: text('status') as CallFilter['status'],
      outcome: text('outcome') as CallFilter['outcome'],
      extractionStatus: text('extractionStatus') as CallFilter['extractionStatus'],
      from: day('from'),
      to: day('to', 1),
      page,
      pageSize: PAGE_SIZE,
    };
  }

  render(result: CallPage, onOpen: (call: CallSummary) => void): void {
    const first = result.total === 0 ? 0 : (result.page - 1) * result.pageSize + 1;
    const last = (result.page - 1) * result.pageSize + result.items.length;
    this.#summary.textContent =
      result.total === 0 ? 'No calls match.' : `Calls ${first}–${last} of ${result.total}.`;
    this.prevButton.disabled = result.page <= 1;
    this.nextButton.disabled = last >= result.total;
    this.#rows.replaceChildren(...result.items.map((call) => this.#row(call, onOpen)));
  }

  #row(call: CallSummary, onOpen: (call: CallSummary) => void): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.dataset.callId = call.id;
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'link';
    open.textContent = call.displayName;
    open.setAttribute('aria-label', `Open the call with ${call.displayName}`);
    open.addEventListener('click', () => onOpen(call));
    const cells = [
      new Date(call.startedAt).toLocaleString(),
      call.durationMs === null ? 'live' : formatDuration(call.durationMs / 1000),
      call.outcome ?? call.status,
      call.extraction ? `${call.extraction.status}, ${call.extraction.reviewStatus}` : 'none',
    ];
    const name = document.createElement('td');
    name.append(open);
    row.append(
      name,
      ...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })),
    );
    return row;
  }
}
