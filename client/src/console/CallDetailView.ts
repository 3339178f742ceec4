import { formatDuration } from '../CallClock.ts';
import { byId } from '../ui/dom.ts';
import type { CallDetail } from './ConsoleApi.ts';

const SPEAKERS: Record<string, string> = { customer: 'Customer', agent: 'AI', human: 'Agent' };

/**
 * One call in full (#detail): summary (and any callback the caller asked for), transcript by speaker, latency per turn and the extracted order with its
 * review form (approve as is, or edit the JSON and save a correction).
 */
export class CallDetailView {
  readonly reviewForm = byId<HTMLFormElement>('extraction-review');
  readonly approveButton = byId<HTMLButtonElement>('extraction-approve');
  readonly #section = byId<HTMLElement>('detail');
  readonly #title = byId<HTMLElement>('detail-title');
  readonly #summary = byId<HTMLElement>('detail-summary');
  readonly #callbacks = byId<HTMLElement>('detail-callbacks');
  readonly #transcript = byId<HTMLOListElement>('detail-transcript');
  readonly #latency = byId<HTMLElement>('detail-latency-summary');
  readonly #metrics = byId<HTMLTableSectionElement>('detail-metrics-rows');
  readonly #extractionState = byId<HTMLElement>('extraction-state');
  readonly #order = byId<HTMLUListElement>('extraction-order');
  readonly #result = byId<HTMLTextAreaElement>('extraction-result');
  readonly #note = byId<HTMLInputElement>('extraction-note');

  /** What the reviewer typed: the result text (still to be parsed) and the note. */
  review(): { resultText: string; note: string | undefined } {
    return { resultText: this.#result.value, note: this.#note.value.trim() || undefined };
  }

  hide(): void {
    this.#section.hidden = true;
  }

  render(call: CallDetail): void {
    this.#section.hidden = false;
    this.#section.dataset.callId = call.id;
    this.#title.textContent = `Call with ${call.displayName}`;
    const duration = call.durationMs === null ? 'still live' : formatDuration(call.durationMs / 1000);
    this.#summary.textContent = `${new Date(call.startedAt).toLocaleString()} · ${duration} · ${
      call.outcome ?? call.status
    }${call.endReason ? ` (${call.endReason})` : ''} · agent ${call.agentId ?? 'none'}`;
    this.#callbacks.hidden = call.callbacks.length === 0;
    this.#callbacks.textContent = call.callbacks
      .map(
        (c) =>
          `Callback requested (the caller agreed at ${new Date(c.consentedAt).toLocaleTimeString()}) ${
            c.phone ? `on ${c.phone}` : 'without a number'
          }: ${c.status === 'done' ? 'called back' : 'to do'}.`,
      )
      .join(' ');
    this.#renderTranscript(call);
    this.#renderMetrics(call);
    this.#renderExtraction(call);
    this.#section.focus();
  }

  #renderTranscript(call: CallDetail): void {
    if (call.transcript.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'note';
      empty.textContent = 'Nothing was said.';
      this.#transcript.replaceChildren(empty);
      return;
    }
    this.#transcript.replaceChildren(
      ...call.transcript.map((segment) => {
        const item = document.createElement('li');
        item.dataset.speaker = segment.speaker;
        item.dataset.final = 'true';
        const speaker = document.createElement('span');
        speaker.className = 'speaker';
        speaker.textContent = `${SPEAKERS[segment.speaker] ?? segment.speaker} · ${formatDuration(segment.startMs / 1000)}`;
        const text = document.createElement('span');
        text.className = 'text';
        text.textContent = segment.interrupted
          ? segment.text
            ? `${segment.text} …`
            : '(interrupted)'
          : segment.text;
        item.append(speaker, text);
        return item;
      }),
    );
  }

  #renderMetrics(call: CallDetail): void {
    const { turns, voiceToVoiceMs } = call.metrics;
    this.#latency.textContent =
      voiceToVoiceMs.count === 0
        ? 'No AI turns were measured.'
        : `Voice to voice: median ${voiceToVoiceMs.p50} ms, p95 ${voiceToVoiceMs.p95} ms over ${voiceToVoiceMs.count} turns.`;
    this.#metrics.replaceChildren(
      ...turns.map((turn) => {
        const row = document.createElement('tr');
        const values = [
          `${turn.turn}${turn.interrupted ? ' (interrupted)' : ''}`,
          ...[
            turn.eouMs,
            turn.asrFinalMs,
            turn.dialogFirstTokenMs,
            turn.ttsFirstAudioMs,
            turn.voiceToVoiceMs,
          ].map((ms) => `${Math.round(ms)} ms`),
        ];
        row.append(
          ...values.map((text) => Object.assign(document.createElement('td'), { textContent: text })),
        );
        return row;
      }),
    );
  }

  #renderExtraction(call: CallDetail): void {
    const job = call.extraction;
    // A succeeded extraction can be approved or corrected; a failed one only corrected (typed in by the reviewer).
    this.reviewForm.hidden = job?.status !== 'succeeded' && job?.status !== 'failed';
    this.approveButton.hidden = job?.status !== 'succeeded';
    if (!job) {
      this.#order.replaceChildren();
      this.#extractionState.textContent = 'No extraction for this call (yet).';
      return;
    }
    const confidence = job.confidence === null ? '' : `, confidence ${Math.round(job.confidence * 100)}%`;
    const failure = job.lastError ? ` Last error: ${job.lastError}` : '';
    this.#extractionState.textContent = `Extraction ${job.status} (${job.source ?? 'no source'}${confidence}), review: ${job.reviewStatus}.${failure}`;
    this.#extractionState.dataset.reviewStatus = job.reviewStatus;
    this.#result.value = job.result ? JSON.stringify(job.result, null, 2) : '';
    this.#renderOrder(job.result);
    this.#note.value = '';
  }

  /** The extracted items and customer in words, above the editable JSON. */
  #renderOrder(result: unknown): void {
    const { items = [], customer = {} } = (result ?? {}) as {
      items?: { name: string; size: string | null; quantity: number; unit_price?: number | null }[];
      customer?: Record<string, string | null>;
    };
    const lines = items.map((item) => {
      const price = item.unit_price == null ? '' : ` at ${item.unit_price}`;
      return `${item.quantity}× ${item.size ? `${item.size} ` : ''}${item.name}${price}`;
    });
    const who = Object.entries(customer)
      .filter(([, value]) => value)
      .map(([key, value]) => `${key}: ${value}`);
    if (who.length > 0) lines.push(`Customer: ${who.join(', ')}`);
    if (lines.length === 0) lines.push('Nothing was ordered.');
    this.#order.replaceChildren(
      ...lines.map((text) => Object.assign(document.createElement('li'), { textContent: text })),
    );
  }
}
