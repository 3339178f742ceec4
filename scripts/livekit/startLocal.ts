// npm run start:livekit: the whole product (scripts/start.sh) on SFU_BACKEND=livekit, with local livekit-server
// node(s) configured with the development key and secret the server uses, sending their webhooks to the server.
// LIVEKIT_NODES=2 starts a two-node cluster on the local Redis (database 11); LIVEKIT_NODE_IP announces another
// address than 127.0.0.1 (browsers on other machines). Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { developmentLiveKitSecret, REPO_ROOT } from '../../server/src/config.ts';
import { startLocalLiveKit } from '../../server/src/media/livekit/localLiveKit.ts';
import { DEVELOPMENT_LIVEKIT_API_KEY, LIVEKIT_WEBHOOK_PATH } from '../../server/src/sfuConfig.ts';

const port = Number(process.env.PORT ?? 3000);
const liveKitPort = Number(process.env.LIVEKIT_PORT ?? 7880);
const nodes = Number(process.env.LIVEKIT_NODES ?? 1);
const apiKey = process.env.LIVEKIT_API_KEY ?? DEVELOPMENT_LIVEKIT_API_KEY;
const apiSecret = process.env.LIVEKIT_API_SECRET ?? developmentLiveKitSecret();

const liveKit = await startLocalLiveKit({
  nodes,
  basePort: liveKitPort,
  rtcBasePort: Number(process.env.LIVEKIT_RTC_BASE_PORT ?? 50_000),
  keys: { apiKey, apiSecret },
  webhookUrls: [`http://127.0.0.1:${port}${LIVEKIT_WEBHOOK_PATH}`],
  ...(nodes > 1 ? { redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', db: 11 } } : {}),
  ...(process.env.LIVEKIT_NODE_IP ? { nodeIp: process.env.LIVEKIT_NODE_IP } : {}),
});
console.log(
  JSON.stringify({ step: 'start:livekit', msg: `LiveKit up: ${liveKit.nodes.map((n) => n.url).join(', ')}` }),
);

const product = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'start.sh')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    SFU_BACKEND: 'livekit',
    LIVEKIT_URL:
      process.env.LIVEKIT_URL ?? liveKit.url.replace('127.0.0.1', process.env.LIVEKIT_NODE_IP ?? '127.0.0.1'),
    LIVEKIT_API_URL: liveKit.url.replace(/^ws/, 'http'),
    LIVEKIT_API_KEY: apiKey,
    LIVEKIT_API_SECRET: apiSecret,
  },
});
for (const node of liveKit.nodes) {
  node.on('exit', () => {
    console.error(
      JSON.stringify({ step: 'start:livekit', msg: `livekit-server on port ${node.port} exited` }),
    );
  });
}
const shutdown = () => product.kill('SIGTERM');
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
product.on('exit', async (code) => {
  await liveKit.stop();
  process.exit(code ?? 0);
});
