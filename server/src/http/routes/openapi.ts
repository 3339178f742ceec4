import { Router } from '@koa/router';
import { AgentConfigSchema } from '@voiceroom/protocol';
import { z } from 'zod';
import { ExtractionResultSchema } from '../../extraction/schema.ts';
import { OPERATIONS, type Operation } from './openapiOperations.ts';

export { OPERATIONS } from './openapiOperations.ts';

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

function parameters(op: Operation): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      out.push({
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(field as z.ZodType),
      });
    }
  }
  return out;
}

function requestBody(body: Operation['body']): unknown {
  if (!body) return undefined;
  if (body === 'yaml')
    return { required: true, content: { 'application/yaml': { schema: { type: 'string' } } } };
  const schema = 'ref' in body ? { $ref: `#/components/schemas/${body.ref}` } : jsonSchema(body as z.ZodType);
  return { required: true, content: { 'application/json': { schema } } };
}

function responses(op: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const response = typeof spec === 'string' ? { description: spec } : spec;
    const code = Number(status);
    const content =
      code >= 400
        ? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
        : response.yaml
          ? { 'application/yaml': { schema: { type: 'string' } } }
          : response.ref
            ? { 'application/json': { schema: { $ref: `#/components/schemas/${response.ref}` } } }
            : undefined;
    out[status] = { description: response.description, ...(content ? { content } : {}) };
  }
  if (op.roles) {
    out['401'] ??= {
      description: 'Missing or invalid access token',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    if (op.roles !== 'any') out['403'] ??= { description: `Needs role: ${op.roles.join(', ')}` };
  }
  return out;
}

/** The OpenAPI 3.1 document of the control plane. */
export function buildOpenApiDocument(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const params = parameters(op);
    const body = requestBody(op.body);
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.roles ? { security: [{ bearer: [] }] } : {}),
      ...(op.roles && op.roles !== 'any' ? { 'x-roles': op.roles } : {}),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responses(op),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'VoiceRoom control plane',
      version: '0.1.0',
      description:
        'Calls, agent configurations, transcripts, latency metrics and post-call extraction. Errors are {error: {code, message, details?}}.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        AgentConfig: jsonSchema(AgentConfigSchema),
        ExtractionResult: jsonSchema(ExtractionResultSchema),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
    },
  };
}

/** GET /api/openapi.json. */
export function createOpenApiRouter(options: { serverUrl?: string } = {}): Router {
  const router = new Router();
  const document = buildOpenApiDocument(options.serverUrl);
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}
