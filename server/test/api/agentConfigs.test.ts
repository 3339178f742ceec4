import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../http/harness.ts';
import { type ApiHarness, startApiHarness } from './apiHarness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const yamlRequest = async (yaml: string, token: string, type = 'application/yaml') =>
  fetch(`${h.baseUrl}/api/agent-configs/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: yaml,
  });

async function audits(targetId: string) {
  return h.db.orm.em
    .fork()
    .execute<{ action: string; actor_role: string }[]>(
      "select action, actor_role from audit_events where target_type = 'agent_config' and target_id = ? order by id",
      [targetId],
    );
}

describe('agent configurations API', () => {
  it('lists the seeded default agent and returns it as JSON or YAML', async () => {
    const token = await h.token('agent');
    const list = (await (await h.request('GET', '/api/agent-configs', { token })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((a) => a.id)).toEqual(['pizzeria']);
    const json = await h.request('GET', '/api/agent-configs/pizzeria', { token });
    expect(json.headers.get('etag')).toBe('"1"');
    expect(((await json.json()) as { menu: { currency: string } }).menu.currency).toBe('USD');
    const yaml = await h.request('GET', '/api/agent-configs/pizzeria/export', { token });
    expect(yaml.headers.get('content-type')).toMatch(/yaml/);
    expect(yaml.headers.get('content-disposition')).toMatch(/pizzeria\.yaml/);
    expect(await yaml.text()).toMatch(/^id: pizzeria$/m);
  });

  it('creates, updates with optimistic concurrency, and deletes, each audited', async () => {
    const token = await h.token('supervisor');
    const created = await h.request('POST', '/api/agent-configs', {
      token,
      body: { id: 'dentist', name: 'Dentist line', greeting: 'Hello, dental office.' },
    });
    expect(created.status).toBe(201);
    expect(
      await errorCode(
        await h.request('POST', '/api/agent-configs', {
          token,
          body: { id: 'dentist', name: 'x', greeting: 'y' },
        }),
      ),
    ).toBe('agent_config_exists');
    const updated = await fetch(`${h.baseUrl}/api/agent-configs/dentist`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ name: 'Dentist', greeting: 'Hi!', privacy: { redactPii: false } }),
    });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { privacy: { redactPii: boolean } }).privacy.redactPii).toBe(false);
    const stale = await fetch(`${h.baseUrl}/api/agent-configs/dentist`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ name: 'Lost update', greeting: 'x' }),
    });
    expect(stale.status).toBe(412);
    expect(await errorCode(stale)).toBe('agent_config_changed');
    // Supervisors edit, only admins delete.
    expect((await h.request('DELETE', '/api/agent-configs/dentist', { token })).status).toBe(403);
    expect(
      (await h.request('DELETE', '/api/agent-configs/dentist', { token: await h.token('admin') })).status,
    ).toBe(204);
    expect((await h.request('GET', '/api/agent-configs/dentist', { token })).status).toBe(404);
    expect(await audits('dentist')).toEqual([
      { action: 'agent_config.create', actor_role: 'supervisor' },
      { action: 'agent_config.update', actor_role: 'supervisor' },
      { action: 'agent_config.delete', actor_role: 'admin' },
    ]);
  });

  it('imports YAML (create, then replace) and exports what it imported', async () => {
    const token = await h.token('admin');
    const yaml =
      'id: bakery\nname: Bakery\ngreeting: Fresh bread!\nmenu:\n  currency: EUR\n  items:\n    - name: baguette\n      price: 2.2\n';
    const first = await yamlRequest(yaml, token);
    expect(first.status).toBe(201);
    expect((await yamlRequest(yaml.replace('Bakery', 'Bakery two'), token)).status).toBe(200);
    const exported = await (await h.request('GET', '/api/agent-configs/bakery/export', { token })).text();
    expect(exported).toMatch(/name: Bakery two/);
    expect(exported).toMatch(/currency: EUR/);
    expect((await audits('bakery')).map((a) => a.action)).toEqual([
      'agent_config.import',
      'agent_config.import',
    ]);
  });

  it('rejects invalid configurations with the fields named, and stores nothing', async () => {
    const token = await h.token('admin');
    const bad = await h.request('POST', '/api/agent-configs', {
      token,
      body: { id: 'UPPER case', name: '', greeting: 'x', tts: { rate: 9 } },
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('agent_config_invalid');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['id', 'name', 'tts.rate']));
    const badYaml = await yamlRequest('id: [broken', token);
    expect(badYaml.status).toBe(400);
    expect(await errorCode(badYaml)).toBe('agent_config_invalid');
    expect((await yamlRequest('id: x', token, 'image/png')).status).toBe(415);
    const big = await yamlRequest(
      `id: big\nname: Big\ngreeting: hi\ninstructions: ${'x'.repeat(600_000)}\n`,
      token,
    );
    expect(big.status).toBe(413);
    const list = (await (await h.request('GET', '/api/agent-configs', { token })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((a) => a.id)).not.toContain('big');
  });

  it('lets supervisors edit content but only admins change provider settings, audited with old and new values', async () => {
    const supervisor = await h.token('supervisor');
    const admin = await h.token('admin');
    const base = 'id: florist\nname: Florist\ngreeting: Flowers!\n';
    expect((await yamlRequest(base, supervisor)).status).toBe(201);
    const openai = `${base}dialog: { provider: openai, model: deepseek-chat }\n`;
    const refused = await yamlRequest(openai, supervisor);
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe('provider_settings_admin_only');
    expect((await yamlRequest(base.replace('Flowers!', 'Fresh flowers!'), supervisor)).status).toBe(200);

    expect((await yamlRequest(openai, admin)).status).toBe(200);
    const rows = await h.db.orm.em
      .fork()
      .execute<{ actor_role: string; details: string }[]>(
        "select actor_role, details from audit_events where target_id = 'florist' and action = 'agent_config.provider_settings'",
      );
    expect(rows).toHaveLength(1);
    const details = typeof rows[0]?.details === 'string' ? JSON.parse(rows[0].details) : rows[0]?.details;
    expect(rows[0]?.actor_role).toBe('admin');
    expect(details.from.dialog).toEqual({ provider: 'scripted' });
    expect(details.to.dialog).toEqual({ provider: 'openai', model: 'deepseek-chat' });
  });
});
