export { defaultProviderPolicy } from '../../models/modelLayout.ts';
export type { ChatMessage, Dialog, DialogChunk, DialogSession } from '../types.ts';
export type { StageFallback } from '../withFallback.ts';
export { type CreateDialogOptions, createDialog } from './createDialog.ts';
export { DialogError, type DialogErrorCode } from './errors.ts';
export { LlamaCppDialog, type LlamaCppDialogOptions } from './LlamaCppDialog.ts';
export {
  OpenAiCompatibleDialog,
  type OpenAiCompatibleDialogOptions,
} from './OpenAiCompatibleDialog.ts';
export { ScriptedDialog, type ScriptedDialogOptions } from './ScriptedDialog.ts';
export { InMemoryOrderLookup, type OrderLookup, type OrderSummary } from './tools.ts';
