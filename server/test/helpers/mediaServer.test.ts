import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { step } from '../../../test/helpers/deadline.ts';
import { startMediaServer } from './mediaServer.ts';

/** Opens a TCP connection to `url`'s port and sends nothing, as a browser's preconnected socket does. */
function preconnect(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('the test media server', () => {
  it('closes while a client holds a connection that never sent a request', async () => {
    const server = await startMediaServer();
    const socket = await preconnect(server.url);
    try {
      await expect(step('closing the media server', 5_000, () => server.close())).resolves.toBeUndefined();
      await expect(
        step(
          'the idle connection to be cut',
          5_000,
          () => new Promise((resolve) => socket.once('close', resolve)),
        ),
      ).resolves.toBe(false);
    } finally {
      socket.destroy();
    }
  });
});
