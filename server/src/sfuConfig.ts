import { z } from 'zod';
import { ConfigError } from './ConfigError.ts';

/** The API key a development LiveKit node (npm run start:livekit) is configured with when LIVEKIT_API_KEY is unset. */
export const DEVELOPMENT_LIVEKIT_API_KEY = 'voiceroom-dev';
/** Where LiveKit POSTs its webhooks on this server. */
export const LIVEKIT_WEBHOOK_PATH = '/api/livekit/webhook';

const SfuEnvSchema = z.object({
  SFU_BACKEND: z
    .enum(['mediasoup', 'livekit'], { error: 'must be mediasoup or livekit' })
    .default('mediasoup'),
  LIVEKIT_URL: z
    .url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' })
    .default('ws://127.0.0.1:7880'),
  /** Where the server calls LiveKit's API when it differs from LIVEKIT_URL (default: LIVEKIT_URL as http(s)). */
  LIVEKIT_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  LIVEKIT_API_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{3,64}$/, 'letters, digits, _ and - only (3 to 64)')
    .optional(),
  LIVEKIT_API_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
});

/** The SFU's environment variables (SFU_BACKEND, LIVEKIT_*), part of the server's environment schema. */
export const SFU_ENV = SfuEnvSchema.shape;

type SfuEnv = z.infer<typeof SfuEnvSchema>;

export type SfuConfig = { backend: 'mediasoup' } | { backend: 'livekit'; livekit: LiveKitConfig };

export interface LiveKitConfig {
  /** ws(s):// URL browsers and agent workers connect to. */
  url: string;
  /** Where this server reaches LiveKit's API (RoomService), when not LIVEKIT_URL. */
  apiUrl?: string;
  apiKey: string;
  apiSecret: string;
}

/** Production on LiveKit needs the key and secret its nodes use: a development one would not match them. */
export function assertLiveKitCredentials(e: SfuEnv, production: boolean): void {
  if (production && e.SFU_BACKEND === 'livekit' && (!e.LIVEKIT_API_KEY || !e.LIVEKIT_API_SECRET)) {
    throw new ConfigError([
      {
        variable: e.LIVEKIT_API_KEY ? 'LIVEKIT_API_SECRET' : 'LIVEKIT_API_KEY',
        message:
          'is required with SFU_BACKEND=livekit in production: set the key and secret your LiveKit nodes use',
      },
    ]);
  }
}

/** Which SFU calls run on; `developmentSecret` supplies LIVEKIT_API_SECRET when it is unset (development only). */
export function sfuConfigFrom(e: SfuEnv, developmentSecret: () => string): SfuConfig {
  if (e.SFU_BACKEND !== 'livekit') return { backend: 'mediasoup' };
  return {
    backend: 'livekit',
    livekit: {
      url: e.LIVEKIT_URL.replace(/\/+$/, ''),
      ...(e.LIVEKIT_API_URL ? { apiUrl: e.LIVEKIT_API_URL.replace(/\/+$/, '') } : {}),
      apiKey: e.LIVEKIT_API_KEY ?? DEVELOPMENT_LIVEKIT_API_KEY,
      apiSecret: e.LIVEKIT_API_SECRET ?? developmentSecret(),
    },
  };
}
