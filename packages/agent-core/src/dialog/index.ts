export {
  CALLBACK_ASK_NUMBER,
  CALLBACK_ASK_NUMBER_AGAIN,
  CALLBACK_DECLINED,
  CALLBACK_NUMBER_LEFT_OUT,
  CALLBACK_OFFER,
  CallbackOffer,
  callbackConfirmed,
} from './CallbackOffer.ts';
export { type CreateDialogOptions, createDialog, type LocalModelDialogFactory } from './createDialog.ts';
export { DialogError, type DialogErrorCode } from './errors.ts';
export { humanRequested, saysGoodbye } from './handoff.ts';
export { OpenAiCompatibleDialog, type OpenAiCompatibleDialogOptions } from './OpenAiCompatibleDialog.ts';
export { hintMessage, systemPrompt } from './prompt.ts';
export { HOUSE_NUMBER_BY_DIGIT, REPAIR_QUESTIONS } from './replies.ts';
export { ScriptedDialog, type ScriptedDialogOptions } from './ScriptedDialog.ts';
export { InMemoryOrderLookup, type OrderLookup, type OrderSummary } from './tools.ts';
