import { z } from 'zod';
import type { ChatMessage } from '../../stages/types.ts';

/** The parts of an OpenAI-compatible streaming chat completion chunk this client reads (validated, others ignored). */
export const ChatCompletionChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().int().optional(),
        delta: z
          .object({
            role: z.string().nullish(),
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int().min(0).max(63),
                  id: z.string().max(200).nullish(),
                  type: z.string().nullish(),
                  function: z
                    .object({ name: z.string().max(200).nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .default({}),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;

export interface WireMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
}

export function toWireMessage(message: ChatMessage): WireMessage {
  const wire: WireMessage = { role: message.role, content: message.content };
  if (message.role === 'tool' && message.toolCallId) wire.tool_call_id = message.toolCallId;
  if (message.role === 'assistant' && message.toolCalls?.length) {
    wire.tool_calls = message.toolCalls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
    if (message.content === '') wire.content = null;
  }
  return wire;
}

/** Tool calls arrive in pieces keyed by index: the id and name first, the JSON arguments in fragments. */
export class ToolCallAssembler {
  readonly #calls = new Map<number, { id: string; name: string; arguments: string }>();

  add(deltas: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>): void {
    for (const delta of deltas) {
      const call = this.#calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
      this.#calls.set(delta.index, call);
    }
  }

  get calls(): Array<{ id: string; name: string; arguments: string }> {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ ...c, id: c.id || `call_${index}` }));
  }
}
