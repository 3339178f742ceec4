export { LlamaCppDialog, type LlamaCppDialogOptions, loadLocalModelDialog } from './LlamaCppDialog.ts';
