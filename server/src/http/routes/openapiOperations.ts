import { AGENT_OPERATIONS } from './openapiAgentOperations.ts';
import { CALL_OPERATIONS } from './openapiCallOperations.ts';
import type { Operation } from './openapiOperation.ts';

export type { Operation } from './openapiOperation.ts';

/** Every documented operation; the OpenAPI document is generated from this table and the zod schemas. */
export const OPERATIONS: Operation[] = [...CALL_OPERATIONS, ...AGENT_OPERATIONS];
