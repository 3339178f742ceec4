import {
  type AgentConfig,
  assertProviderPolicy,
  CodedError,
  type ProviderPolicy,
  ProviderPolicyError,
} from '@voiceroom/protocol';

/** Why a model-backed dialog turn failed; the voice pipeline says a fallback line and may retry or hand off. */
export type DialogErrorCode =
  | 'dialog_api_key_missing'
  | 'dialog_provider_not_allowed'
  | 'dialog_unreachable'
  | 'dialog_timeout'
  | 'dialog_rate_limited'
  | 'dialog_http_error'
  | 'dialog_invalid_response'
  | 'dialog_model_unavailable';

/** `status` is the model endpoint's HTTP status when it answered with an error (callers map it, never send it). */
export class DialogError extends CodedError<DialogErrorCode> {
  constructor(code: DialogErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'DialogError';
  }
}

/** Throws `dialog_provider_not_allowed` when the operator's provider policy refuses the configuration's dialog. */
export function assertDialogAllowed(config: AgentConfig, policy: ProviderPolicy): void {
  try {
    assertProviderPolicy(config, policy);
  } catch (error) {
    if (!(error instanceof ProviderPolicyError)) throw error;
    throw new DialogError('dialog_provider_not_allowed', `agent ${config.id}: ${error.message}`);
  }
}
