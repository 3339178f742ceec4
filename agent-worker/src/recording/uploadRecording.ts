/** PUTs a finished call recording to the server (`/api/recordings/rooms/:roomId`, service token), which encrypts it. */
export async function uploadRecording(
  server: { serverUrl: string; token: string },
  roomId: string,
  file: Uint8Array,
): Promise<void> {
  const url = new URL(`/api/recordings/rooms/${encodeURIComponent(roomId)}`, server.serverUrl);
  const response = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'audio/ogg' },
    body: new Uint8Array(file),
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) {
    throw new Error(
      `the server refused the recording of room ${roomId}: ${response.status} ${await response.text()}`,
    );
  }
}
