import { DialogError } from '@voiceroom/agent-core/dialog';
import type { DialogChunk } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turn } from '../../../packages/agent-core/test/dialog/collect.ts';
import { pizzeria } from '../../../packages/agent-core/test/nlu/pizzeria.ts';
import { makeTinyQwen2Gguf, type TinyModel } from '../../../server/test/extraction/tinyGguf.ts';
import { LlamaCppDialog } from '../../src/stages/dialog/index.ts';

/**
 * Runs node-llama-cpp for real on a tiny random-weight Qwen2 model with the real tokenizer (no real GGUF can be
 * downloaded here). It proves loading, the chat template, streaming, history and abort; the words are gibberish, so
 * nothing here says anything about reply quality.
 */
describe('LlamaCppDialog', () => {
  let tiny: TinyModel;
  let dialog: LlamaCppDialog;
  const config = pizzeria();

  beforeAll(async () => {
    tiny = await makeTinyQwen2Gguf();
    config.dialog = { ...config.dialog, provider: 'llama', model: tiny.path, maxTokens: 24, temperature: 0 };
    dialog = await LlamaCppDialog.create({ config, contextSize: 1024 });
  }, 120_000);

  afterAll(async () => {
    await dialog?.close();
    await tiny?.remove();
  });

  it('streams the model output as text chunks, turn after turn with history', async () => {
    const session = dialog.createSession();
    const history: Array<{ role: 'user' | 'assistant'; content: string }> = [];
    const first = await turn(session, 'two large pepperoni pizzas please', { history });
    const second = await turn(session, 'and a coke', { history });
    expect(first.chunks.length).toBeGreaterThan(1);
    expect(first.text.length).toBeGreaterThan(0);
    expect(second.text.length).toBeGreaterThan(0);
    expect([...first.chunks, ...second.chunks].every((c) => c.type === 'text')).toBe(true);
    session.close();
  });

  it('stops generating when aborted', async () => {
    const session = dialog.createSession();
    const controller = new AbortController();
    const chunks: DialogChunk[] = [];
    for await (const c of session.respond(
      { history: [], userText: 'tell me about the menu', hints: [] },
      controller.signal,
    )) {
      chunks.push(c);
      controller.abort();
    }
    expect(chunks).toHaveLength(1);
    // The session stays usable after a barge-in.
    expect((await turn(session, 'a coke')).text.length).toBeGreaterThan(0);
    session.close();
  });

  it('hands off and ends the call without asking the model', async () => {
    const session = dialog.createSession();
    expect((await turn(session, 'get me a manager')).chunks.at(-1)).toEqual({
      type: 'handoff',
      reason: 'caller asked for a human',
    });
    expect((await turn(session, 'ok thanks bye')).chunks.at(-1)).toEqual({ type: 'end_call' });
    session.close();
  });

  it('close() unloads the model: no session can be opened on it afterwards', async () => {
    const closing = await LlamaCppDialog.create({ config, contextSize: 1024 });
    await closing.close();
    expect(() => closing.createSession()).toThrow(
      expect.objectContaining({ code: 'dialog_model_unavailable' }),
    );
  });

  it('says which file is missing when the model cannot be loaded', async () => {
    const missing = { ...config, dialog: { ...config.dialog, model: '/nonexistent/model.gguf' } };
    const failure = LlamaCppDialog.create({ config: missing });
    await expect(failure).rejects.toBeInstanceOf(DialogError);
    await expect(failure).rejects.toMatchObject({
      code: 'dialog_model_unavailable',
      message: expect.stringContaining('/nonexistent/model.gguf'),
    });
  });
});
