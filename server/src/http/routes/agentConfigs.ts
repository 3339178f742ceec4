import { Router } from '@koa/router';
import { parseAgentYaml, toAgentYaml, validateAgentConfig } from '@voiceroom/agent-core/agents';
import { type AgentConfig, ProviderPolicyError, providerSettings } from '@voiceroom/protocol';
import type { Context } from 'koa';
import { z } from 'zod';
import { STAFF_ROLES } from '../../auth/roles.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import type { MySqlAgentConfigStore } from '../../calls/AgentConfigStore.ts';
import { recordAudit } from '../../calls/auditLog.ts';
import type { MikroORM } from '../../db/orm.ts';
import { HttpError, NotFoundError } from '../errors.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { validateParams, validateQuery } from '../validate.ts';

export const AgentParamsSchema = z.object({
  agentId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'not an agent id'),
});
const FormatQuerySchema = z.object({ format: z.enum(['json', 'yaml']).default('json') }).strict();

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];
const YAML_LIMIT_BYTES = 512 * 1024;
/** Provider settings of a configuration that names none (what a new agent starts from). */
const DEFAULT_PROVIDER_SETTINGS = JSON.stringify(
  providerSettings(validateAgentConfig({ id: 'default', name: 'default', greeting: 'Hello' })),
);

export interface AgentConfigsRouterDeps {
  tokens: TokenService;
  store: MySqlAgentConfigStore;
  orm: MikroORM;
}

/**
 * Agent configuration CRUD: GET /api/agent-configs[/:agentId] (JSON, or YAML with ?format=yaml), POST (create),
 * PUT /:agentId (replace), DELETE /:agentId, POST /import (a YAML document: create or replace) and
 * GET /:agentId/export (YAML download). Reads for staff; writes for supervisors and admins, but provider settings
 * (which key variable, endpoint and model files the agent uses) only for admins; every write audited, provider
 * changes with their old and new values.
 */
export function createAgentConfigsRouter(deps: AgentConfigsRouterDeps): Router {
  const router = new Router({ prefix: '/api/agent-configs' });
  const staff = requireAuth(deps.tokens, STAFF_ROLES);
  const editors = requireAuth(deps.tokens, ['supervisor', 'admin']);
  const admins = requireAuth(deps.tokens, ['admin']);

  async function audit(ctx: Context, action: string, agentId: string, details?: Record<string, unknown>) {
    const user = authenticatedUser(ctx.state);
    await recordAudit(deps.orm.em.fork(), {
      actor: { id: user.id, role: user.role },
      action,
      targetType: 'agent_config',
      targetId: agentId,
      ...(details ? { details } : {}),
    });
  }

  /** Stores `config` (replacing `before`), refusing a supervisor's provider change and audit-logging an admin's. */
  async function save(ctx: Context, config: AgentConfig, before: AgentConfig | undefined): Promise<void> {
    const from = before ? JSON.stringify(providerSettings(before)) : DEFAULT_PROVIDER_SETTINGS;
    const to = JSON.stringify(providerSettings(config));
    if (from !== to && authenticatedUser(ctx.state).role !== 'admin') {
      throw new HttpError(
        403,
        'provider_settings_admin_only',
        'Only an admin may change the dialog, asr or tts provider, model, baseUrl or apiKeyEnv: keep them as they are or ask an admin.',
      );
    }
    try {
      await deps.store.put(config);
    } catch (error) {
      if (!(error instanceof ProviderPolicyError)) throw error;
      const first = error.violations[0];
      throw new HttpError(400, first?.code ?? error.code, `Refused provider settings: ${error.message}.`, {
        details: error.violations,
      });
    }
    if (from !== to) {
      await audit(ctx, 'agent_config.provider_settings', config.id, {
        from: JSON.parse(from),
        to: JSON.parse(to),
      });
    }
  }

  router.get('/', staff, async (ctx) => {
    ctx.body = { items: await deps.store.list() };
  });

  router.post('/import', editors, async (ctx) => {
    if (!ctx.request.is(YAML_TYPES)) {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'Send the YAML document with Content-Type: application/yaml.',
      );
    }
    const text = await readText(ctx, YAML_LIMIT_BYTES);
    const imported = parseAgentYaml(text);
    const existing = await deps.store.get(imported.id);
    const existed = existing !== undefined;
    await save(ctx, imported, existing);
    await audit(ctx, 'agent_config.import', imported.id, { replaced: existed });
    ctx.status = existed ? 200 : 201;
    ctx.body = imported;
  });

  router.get('/:agentId', staff, async (ctx) => {
    const { agentId } = validateParams(ctx, AgentParamsSchema);
    const { format } = validateQuery(ctx, FormatQuerySchema);
    const stored = await deps.store.getStored(agentId);
    if (!stored) throw new NotFoundError(`Agent configuration ${agentId}`, 'agent_config_not_found');
    ctx.set('ETag', `"${stored.version}"`);
    if (format === 'yaml') {
      ctx.type = 'application/yaml';
      ctx.body = toAgentYaml(stored.config);
    } else {
      ctx.body = stored.config;
    }
  });

  router.get('/:agentId/export', staff, async (ctx) => {
    const { agentId } = validateParams(ctx, AgentParamsSchema);
    const config = await deps.store.get(agentId);
    if (!config) throw new NotFoundError(`Agent configuration ${agentId}`, 'agent_config_not_found');
    ctx.type = 'application/yaml';
    ctx.attachment(`${agentId}.yaml`);
    ctx.body = toAgentYaml(config);
  });

  router.post('/', editors, async (ctx) => {
    const config = validateAgentConfig(ctx.request.body ?? {});
    if (await deps.store.get(config.id)) {
      throw new HttpError(
        409,
        'agent_config_exists',
        `Agent ${config.id} exists: update it with PUT /api/agent-configs/${config.id}.`,
      );
    }
    await save(ctx, config, undefined);
    await audit(ctx, 'agent_config.create', config.id);
    ctx.status = 201;
    ctx.body = config;
  });

  router.put('/:agentId', editors, async (ctx) => {
    const { agentId } = validateParams(ctx, AgentParamsSchema);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'validation_failed', 'The body must be an agent configuration object.');
    }
    if (body.id !== undefined && body.id !== agentId) {
      throw new HttpError(
        400,
        'agent_id_mismatch',
        `The body's id (${String(body.id)}) differs from the URL (${agentId}).`,
      );
    }
    const ifMatch = ctx.get('if-match');
    const before = await deps.store.getStored(agentId);
    if (!before) throw new NotFoundError(`Agent configuration ${agentId}`, 'agent_config_not_found');
    if (ifMatch && ifMatch !== `"${before.version}"`) {
      throw new HttpError(
        412,
        'agent_config_changed',
        `Agent ${agentId} changed since you read it (now version ${before.version}): reload and retry.`,
      );
    }
    const config = validateAgentConfig({ ...body, id: agentId });
    await save(ctx, config, before.config);
    await audit(ctx, 'agent_config.update', agentId, { fromVersion: before.version });
    ctx.body = config;
  });

  router.delete('/:agentId', admins, async (ctx) => {
    const { agentId } = validateParams(ctx, AgentParamsSchema);
    if (!(await deps.store.delete(agentId))) {
      throw new NotFoundError(`Agent configuration ${agentId}`, 'agent_config_not_found');
    }
    await audit(ctx, 'agent_config.delete', agentId);
    ctx.status = 204;
  });

  return router;
}

async function readText(ctx: Context, limit: number): Promise<string> {
  if (Number(ctx.get('content-length') || 0) > limit) {
    throw new HttpError(413, 'body_too_large', `The request body exceeds ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'body_too_large', `The request body exceeds ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
