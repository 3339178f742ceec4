import type { AgentConfig } from '@voiceroom/protocol';

/** The system prompt: the agent's instructions, then its knowledge and menu, then how to speak. */
export function systemPrompt(
  config: AgentConfig,
  options: { controlTools: boolean } = { controlTools: true },
): string {
  const parts = [config.instructions.trim() || `You are ${config.name}.`];
  if (config.knowledge.length > 0) {
    parts.push(
      'Knowledge (answer questions only from this):',
      ...config.knowledge.map((k) => `- Q: ${k.question}\n  A: ${k.answer}`),
    );
  }
  if (config.menu.items.length > 0) {
    parts.push(
      `Menu (prices in ${config.menu.currency}):`,
      ...config.menu.items.map((i) => {
        const price = i.sizes
          ? Object.entries(i.sizes)
              .map(([size, p]) => `${size} ${p.toFixed(2)}`)
              .join(', ')
          : (i.price ?? 0).toFixed(2);
        const aliases = i.aliases.length > 0 ? ` (also called ${i.aliases.join(', ')})` : '';
        return `- ${i.name}${aliases}: ${price}`;
      }),
    );
  }
  parts.push(
    'You are speaking on a phone call: reply in one or two short spoken sentences, no lists or markdown, numbers and ' +
      'prices in words. When the caller orders something, repeat the item back.',
    'A phone number has ten digits with its area code: if you heard fewer, say the digits you have and ask for the ' +
      "whole number; never confirm or read back a shorter one as the caller's number. An area code or the three " +
      'digits after it starting with 0 or 1 mean the number was misheard: ask for it again.',
  );
  if (options.controlTools) {
    parts.push(
      'Call end_call after saying goodbye once the order is confirmed, and transfer_to_human when the caller asks for a person.',
    );
  }
  return parts.join('\n');
}

export function hintMessage(hints: readonly string[]): string {
  return `Coaching from a human supervisor listening to this call; follow it in your next reply: ${hints.join(' / ')}`;
}
