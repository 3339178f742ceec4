import { DialablePhoneNumberSchema } from '@voiceroom/protocol';
import { z } from 'zod';

/** What post-call extraction produces, whatever the source (deepseek, local LLM, rules). */

export const TranscriptLineSchema = z.object({
  speaker: z.enum(['customer', 'agent', 'human']),
  text: z.string().max(100_000),
});
export const TranscriptFileSchema = z.array(TranscriptLineSchema).max(50_000);
export type TranscriptLine = z.infer<typeof TranscriptLineSchema>;

export const ExtractedItemSchema = z.object({
  name: z.string().min(1).max(120),
  size: z.string().max(40).nullable(),
  quantity: z.number().int().min(1).max(1000),
  unit_price: z.number().nonnegative().max(100_000).nullable(),
});

export const ExtractionResultSchema = z.object({
  customer: z.object({
    name: z.string().max(200).nullable(),
    address: z.string().max(500).nullable(),
    phone: z.string().max(40).nullable(),
    email: z.string().max(200).nullable(),
  }),
  items: z.array(ExtractedItemSchema).max(100),
  currency: z.string().length(3).nullable(),
  /** 0..1: how sure the extractor is about the whole result. */
  confidence: z.number().min(0).max(1),
  notes: z.string().max(2000).nullable(),
});
export type ExtractionResult = z.infer<typeof ExtractionResultSchema>;

/** A reviewer's correction: an extraction result whose customer phone, when given, is a whole number. */
export const CorrectedResultSchema = ExtractionResultSchema.extend({
  customer: ExtractionResultSchema.shape.customer.extend({ phone: DialablePhoneNumberSchema.nullable() }),
});
export type ExtractionSource = 'deepseek' | 'local' | 'rules';

export interface Extractor {
  readonly source: ExtractionSource;
  extract(transcript: readonly TranscriptLine[], signal: AbortSignal): Promise<ExtractionResult>;
}
