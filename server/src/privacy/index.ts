export { type PiiKind, type RedactionResult, redactPii } from './redact.ts';
