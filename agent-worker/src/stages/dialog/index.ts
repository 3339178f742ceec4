export { type CreateDialogOptions, createDialog } from './createDialog.ts';
export {
  DialogError,
  type DialogErrorCode,
  OpenAiCompatibleDialog,
  type OpenAiCompatibleDialogOptions,
} from './OpenAiCompatibleDialog.ts';
export { ScriptedDialog, type ScriptedDialogOptions } from './ScriptedDialog.ts';
export { InMemoryOrderLookup, type OrderLookup, type OrderSummary } from './tools.ts';
