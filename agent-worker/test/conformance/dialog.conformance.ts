import type { ChatMessage, Dialog, DialogChunk } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface DialogUnderTest {
  dialog: Dialog;
  teardown?: () => Promise<void>;
}

const GREETING: ChatMessage = {
  role: 'assistant',
  content: "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?",
};

async function respond(dialog: Dialog, userText: string, signal = new AbortController().signal) {
  const session = dialog.createSession();
  const chunks: DialogChunk[] = [];
  for await (const c of session.respond(
    { history: [GREETING, { role: 'user', content: userText }], userText, hints: [] },
    signal,
  )) {
    chunks.push(c);
  }
  session.close();
  return chunks;
}

const textOf = (chunks: DialogChunk[]) => chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');

/** The behaviour every dialog provider must show, whatever produces the words. */
export function describeDialogConformance(name: string, setup: () => Promise<DialogUnderTest>): void {
  describe(`${name} dialog conformance`, () => {
    let subject: DialogUnderTest;
    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject.teardown?.();
    });

    it('streams non-empty text that names the ordered item, after the greeting', async () => {
      const chunks = await respond(subject.dialog, 'two large pepperoni pizzas please');
      const texts = chunks.filter((c) => c.type === 'text');
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.every((c) => c.type === 'text' && c.text.length > 0)).toBe(true);
      expect(textOf(chunks).toLowerCase()).toContain('pepperoni');
    });

    it('stops promptly when aborted mid-reply, without an error', async () => {
      const controller = new AbortController();
      const session = subject.dialog.createSession();
      const after: DialogChunk[] = [];
      let abortedAt = 0;
      for await (const c of session.respond(
        { history: [GREETING], userText: 'what do you have on the menu', hints: [] },
        controller.signal,
      )) {
        if (abortedAt === 0) {
          controller.abort();
          abortedAt = performance.now();
        } else {
          after.push(c);
        }
      }
      expect(abortedAt).toBeGreaterThan(0);
      expect(performance.now() - abortedAt).toBeLessThan(300);
      expect(after.length).toBeLessThanOrEqual(1);
    });

    it('yields nothing for a turn that is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      expect(await respond(subject.dialog, 'a coke', controller.signal)).toEqual([]);
    });

    it('answers empty input with something to say, not an error', async () => {
      expect(textOf(await respond(subject.dialog, '')).trim().length).toBeGreaterThan(0);
    });

    it('keeps sessions apart', async () => {
      const [a, b] = await Promise.all([
        respond(subject.dialog, 'a large hawaiian pizza'),
        respond(subject.dialog, 'a small veggie pizza'),
      ]);
      expect(textOf(a ?? []).toLowerCase()).toContain('hawaiian');
      expect(textOf(b ?? []).toLowerCase()).not.toContain('hawaiian');
    });

    it('says nothing more once the session is closed', async () => {
      const session = subject.dialog.createSession();
      session.close();
      const chunks: DialogChunk[] = [];
      for await (const c of session.respond(
        { history: [], userText: 'a coke', hints: [] },
        new AbortController().signal,
      ))
        chunks.push(c);
      expect(chunks).toEqual([]);
    });

    it('ends the call after saying goodbye', async () => {
      const chunks = await respond(subject.dialog, "that's all thanks, bye");
      expect(textOf(chunks).length).toBeGreaterThan(0);
      expect(chunks.at(-1)).toEqual({ type: 'end_call' });
    });
  });
}
