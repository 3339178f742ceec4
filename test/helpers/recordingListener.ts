import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** A loopback HTTP listener standing in for an attacker's host: it records every request it gets. */
export class RecordingListener {
  readonly requests: CapturedRequest[] = [];
  readonly #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async start(): Promise<RecordingListener> {
    const server = http.createServer();
    const listener = new RecordingListener(server);
    server.on('request', (req, res) => {
      listener.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"listener"}}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return listener;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
