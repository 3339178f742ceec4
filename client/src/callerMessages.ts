/** An error as the caller should read it: plain words and what to do, with the code kept for support and tests. */
export function callerMessage(error: unknown): { code: string | undefined; message: string } {
  // A DOMException's `code` is a legacy number: only string codes are ours.
  const raw = (error as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : undefined;
  const name = (error as { name?: string } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'microphone_unavailable' || name === 'NotAllowedError' || name === 'NotFoundError')
    return {
      code: code ?? 'microphone_unavailable',
      message:
        'Your microphone is blocked or missing, so we cannot hear you. Allow microphone access for this page ' +
        "(the camera/lock icon in your browser's address bar) and press Call again.",
    };
  if (code === 'forbidden')
    return { code, message: `Your link does not allow speaking in this call (${message}).` };
  if (code === 'unauthorized') return { code, message: 'This call link has expired. Start a new call.' };
  if (code === 'network_error' || code === 'connect_failed')
    return {
      code,
      message: 'We cannot reach the call service. Check your internet connection and try again.',
    };
  if (code === 'disconnected')
    return { code, message: 'The connection to the call was lost. Press Call to call again.' };
  if (code === 'call_budget_exhausted' || code === 'rate_limited')
    return { code, message: 'We are very busy right now. Please try again in a minute.' };
  return { code, message };
}
