/**
 * Server-sent events as OpenAI-compatible chat APIs send them: `data: <json>` lines separated by blank lines, `:`
 * comment lines as keep-alives, and `data: [DONE]` at the end. Yields each event's data.
 */
export async function* readSseData(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let data: string[] = [];
  const onAbort = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.search(/\r?\n/);
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
        // Other fields (event:, id:, retry:) and comments are not used by chat completions.
        newline = buffer.search(/\r?\n/);
      }
    }
    if (data.length > 0) yield data.join('\n');
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}
