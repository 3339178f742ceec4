import { z } from 'zod';

/** AGENT_PACER_LEAD_MS: how far ahead of real time the agent's audio is sent (absorbs timer jitter; adds latency). */
export const PacerLeadMsSchema = z.coerce.number().int().min(0).max(200).default(40);
