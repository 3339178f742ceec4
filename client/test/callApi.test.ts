import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCall } from '../src/callApi.ts';

let server: http.Server;
let url: string;
let answer: unknown;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const ticket = { roomId: 'room-1', token: 'room-token', iceServers: [] };

describe('startCall', () => {
  it("passes on the ticket's LiveKit media as the server sent it", async () => {
    const media = { backend: 'livekit', url: 'wss://media.example.com', token: 'lk-token' };
    answer = { ...ticket, media };
    expect(await startCall(url)).toEqual({ ...ticket, media });
  });

  it('reads a ticket without media (a server before the LiveKit backend) as a mediasoup call', async () => {
    answer = ticket;
    expect((await startCall(url)).media).toEqual({ backend: 'mediasoup' });
  });

  it('refuses a ticket whose media points at something other than a WebSocket server', async () => {
    answer = { ...ticket, media: { backend: 'livekit', url: 'https://elsewhere.example.com', token: 'x' } };
    await expect(startCall(url)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});
