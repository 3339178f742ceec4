export { type CreateDialogOptions, createDialog, type LocalModelDialogFactory } from './createDialog.ts';
export { DialogError, type DialogErrorCode } from './errors.ts';
export { HANDOFF_UNANSWERED, humanRequested, saysGoodbye } from './handoff.ts';
export { OpenAiCompatibleDialog, type OpenAiCompatibleDialogOptions } from './OpenAiCompatibleDialog.ts';
export { hintMessage, systemPrompt } from './prompt.ts';
export { ScriptedDialog, type ScriptedDialogOptions } from './ScriptedDialog.ts';
export { InMemoryOrderLookup, type OrderLookup, type OrderSummary } from './tools.ts';
