import { z } from 'zod';

/**
 * An agent's configuration: what it knows (menu, knowledge), how it talks (voice, greeting) and how each
 * pipeline stage is set up. Shared by the server (CRUD, YAML import/export) and the agent worker.
 */

const price = z.number().nonnegative().max(100_000);

export const MenuItemSchema = z
  .object({
    name: z.string().min(1).max(80),
    aliases: z.array(z.string().min(1).max(80)).max(20).default([]),
    category: z.string().max(40).optional(),
    /** Price per size, e.g. { small: 9.5, large: 15.5 }; use `price` for items without sizes. */
    sizes: z.record(z.string().min(1).max(20), price).optional(),
    price: price.optional(),
  })
  .refine((i) => i.sizes !== undefined || i.price !== undefined, {
    message: 'a menu item needs sizes or price',
  });

export const KnowledgeEntrySchema = z.object({
  question: z.string().min(1).max(300),
  keywords: z.array(z.string().min(1).max(40)).min(1).max(20),
  answer: z.string().min(1).max(1000),
});

export const VadConfigSchema = z.object({
  provider: z.enum(['silero', 'energy']).default('silero'),
  /** Speech probability (silero) or normalised energy (energy) above which a frame is speech. */
  threshold: z.number().min(0).max(1).default(0.5),
  prefixPaddingMs: z.number().int().min(0).max(2000).default(200),
  minSpeechMs: z.number().int().min(0).max(5000).default(120),
  minSilenceMs: z.number().int().min(0).max(5000).default(300),
  /**
   * Silero only: speech at the room's background level and more than 16 dB under the caller's own counts as
   * silence, so voices behind the caller neither hold the turn open (~200 ms sooner in babble; in a room that keeps
   * talking the turn never ended) nor start turns of their own. In a quiet room it never acts.
   */
  foregroundGate: z.boolean().default(true),
});

export const AsrConfigSchema = z.object({
  provider: z.enum(['pocketsphinx', 'sherpa-onnx']).default('pocketsphinx'),
  /** Model directory for sherpa-onnx (see `npm run models`). */
  model: z.string().max(500).optional(),
  /** Extra in-domain phrases for the language model, on top of the menu and knowledge. */
  phrases: z.array(z.string().min(1).max(200)).max(500).default([]),
  /**
   * RNNoise on the caller's audio before the VAD and the recogniser (13.5 ms later, ~2.5% of a core per call).
   * Off by default: in steady noise (pink 15 dB) PocketSphinx hears more calls through, but babble is voices to it
   * and fails more calls (bench:dialog --denoise).
   */
  noiseSuppression: z.boolean().default(false),
});

export const DialogConfigSchema = z.object({
  provider: z.enum(['scripted', 'llama', 'openai']).default('scripted'),
  /** GGUF path (llama) or model name (openai). */
  model: z.string().max(500).optional(),
  baseUrl: z.string().url().optional(),
  /** Name of the environment variable that holds the API key (never the key itself). */
  apiKeyEnv: z.string().max(100).optional(),
  temperature: z.number().min(0).max(2).default(0.3),
  maxTokens: z.number().int().min(16).max(4096).default(256),
});

export const TtsConfigSchema = z.object({
  provider: z.enum(['flite', 'espeak-ng', 'kokoro', 'sherpa-onnx']).default('flite'),
  voice: z.string().max(100).optional(),
  model: z.string().max(500).optional(),
  /** Speaking rate multiplier. */
  rate: z.number().min(0.5).max(2).default(1),
  /** How many sentence chunks may be synthesized at once. */
  parallelism: z.number().int().min(1).max(8).default(2),
});

export const TurnConfigSchema = z.object({
  /** Silence after speech before the turn is considered finished. */
  endpointingDelayMs: z.number().int().min(0).max(5000).default(400),
  /**
   * The delay adapts to what was said: down to this after a complete answer ("yes", "that's all"), up to the max
   * after an unfinished one ("and", "my name is", a number still being said). Equal to endpointingDelayMs: fixed.
   */
  minEndpointingDelayMs: z.number().int().min(0).max(5000).default(200),
  maxEndpointingDelayMs: z.number().int().min(0).max(5000).default(1000),
  /** Caller speech over the agent must last this long to count as barge-in. */
  minInterruptionMs: z.number().int().min(0).max(5000).default(300),
  /** ...or contain this many recognised words (0 disables the word rule). */
  minInterruptionWords: z.number().int().min(0).max(20).default(0),
  /** After a pause for possible interruption with no words, resume the reply after this long. */
  falseInterruptionTimeoutMs: z.number().int().min(100).max(10_000).default(1500),
  /**
   * Caller speech that no reply came of (nothing recognised in it, or a reply that never spoke): this long after it
   * ended, the agent apologises and asks its last question again rather than leave the caller in silence.
   */
  repromptAfterMs: z.number().int().min(500).max(30_000).default(1500),
  /**
   * The agent's turn ended on a question and no reply started for this long (the answer may have been too faint for
   * the VAD): it apologises and asks again, twice in a row at most.
   */
  noInputRepromptMs: z.number().int().min(1000).max(60_000).default(6000),
});

export const HandoffConfigSchema = z.object({
  keywords: z
    .array(z.string().min(1).max(60))
    .max(50)
    .default(['human', 'person', 'representative', 'manager']),
  maxMisunderstandings: z.number().int().min(1).max(10).default(3),
  /** How long a handoff request waits for a human to accept before the AI tells the caller and carries on. */
  timeoutS: z.number().int().min(1).max(600).default(30),
});

export const PrivacyConfigSchema = z.object({
  redactPii: z.boolean().default(true),
  retentionDays: z.number().int().min(1).max(3650).default(90),
});

/** Call recording: the call's audio (caller, AI and human agents, mixed), Ogg Opus encrypted at rest. */
export const RecordingConfigSchema = z.object({
  enabled: z.boolean().default(false),
});

export const AgentConfigSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1).max(120),
  language: z.string().min(2).max(16).default('en-US'),
  instructions: z.string().max(20_000).default(''),
  greeting: z.string().min(1).max(1000),
  goodbye: z.string().min(1).max(1000).default('Thank you for calling. Goodbye!'),
  menu: z
    .object({
      currency: z.string().length(3).default('USD'),
      items: z.array(MenuItemSchema).max(500),
    })
    .default({ currency: 'USD', items: [] }),
  knowledge: z.array(KnowledgeEntrySchema).max(500).default([]),
  vad: VadConfigSchema.prefault({}),
  asr: AsrConfigSchema.prefault({}),
  dialog: DialogConfigSchema.prefault({}),
  tts: TtsConfigSchema.prefault({}),
  turn: TurnConfigSchema.prefault({}),
  handoff: HandoffConfigSchema.prefault({}),
  privacy: PrivacyConfigSchema.prefault({}),
  recording: RecordingConfigSchema.prefault({}),
});

export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;
export type MenuItem = z.infer<typeof MenuItemSchema>;
export type KnowledgeEntry = z.infer<typeof KnowledgeEntrySchema>;
