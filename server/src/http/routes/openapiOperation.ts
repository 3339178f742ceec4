import type { z } from 'zod';

/** One documented operation; the OpenAPI document is generated from this table and the zod schemas. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path (/api/calls/:callId). */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed; undefined = public. 'any' = any signed-in user. */
  roles?: readonly string[] | 'any';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType | 'yaml' | { ref: string };
  responses: Record<string, string | { description: string; ref?: string; yaml?: boolean }>;
}

/** Staff roles: anyone who works calls. */
export const STAFF = ['human_agent', 'supervisor', 'admin'] as const;
/** Roles that may change agent configurations and review extractions. */
export const EDITORS = ['supervisor', 'admin'] as const;
