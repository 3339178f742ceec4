import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AgentConfigError,
  DEFAULT_AGENT_FILE,
  loadAgentFile,
  parseAgentYaml,
  toAgentYaml,
} from '@voiceroom/agent-core/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlAgentConfigStore } from '../../src/calls/AgentConfigStore.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let store: MySqlAgentConfigStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new MySqlAgentConfigStore(db.orm);
});
afterAll(async () => {
  await db?.drop();
});

describe('MySqlAgentConfigStore', () => {
  it('seeds the default pizzeria agent from its YAML when the table is empty, and only then', async () => {
    expect(await store.seedDefaults()).toEqual(['pizzeria']);
    const pizzeria = await store.get('pizzeria');
    const fromFile = loadAgentFile(DEFAULT_AGENT_FILE);
    expect(pizzeria).toEqual(fromFile);
    expect(pizzeria?.menu.items.find((i) => i.name === 'pepperoni pizza')?.sizes?.large).toBe(15.5);
    expect(await store.seedDefaults()).toEqual([]);
  });

  it('creates, replaces with a new version, lists and deletes', async () => {
    const config = await store.put({ id: 'bakery', name: 'Bakery', greeting: 'Hello!' });
    expect(config.privacy.redactPii).toBe(true);
    expect((await store.getStored('bakery'))?.version).toBe(1);
    await store.put({ id: 'bakery', name: 'Bakery line', greeting: 'Hi!', privacy: { redactPii: false } });
    const stored = await store.getStored('bakery');
    expect(stored?.version).toBe(2);
    expect(stored?.config).toMatchObject({ name: 'Bakery line', privacy: { redactPii: false } });
    expect((await store.list()).map((c) => c.id)).toEqual(['bakery', 'pizzeria']);
    expect(await store.delete('bakery')).toBe(true);
    expect(await store.delete('bakery')).toBe(false);
    expect(await store.get('bakery')).toBeUndefined();
  });

  it('rejects an invalid configuration with the bad fields named and stores nothing', async () => {
    const error = await store
      .put({ id: 'Bad Id!', name: '', greeting: 'x' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentConfigError);
    expect((error as AgentConfigError).code).toBe('agent_config_invalid');
    expect((error as AgentConfigError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['id', 'name']),
    );
    expect(await store.get('Bad Id!')).toBeUndefined();
  });

  it('round-trips YAML export and import, and refuses YAML that does not parse', async () => {
    const pizzeria = await store.get('pizzeria');
    if (!pizzeria) throw new Error('pizzeria was not seeded');
    expect(parseAgentYaml(toAgentYaml(pizzeria))).toEqual(pizzeria);
    expect(() => parseAgentYaml('id: [unclosed')).toThrow(/does not parse/);
    expect(() => parseAgentYaml('id: x\nname: y\n')).toThrow(AgentConfigError);
  });

  it('seeds every YAML file of a directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'agents-'));
    await writeFile(path.join(dir, 'a.yaml'), 'id: alpha\nname: Alpha\ngreeting: Hi\n');
    await writeFile(path.join(dir, 'b.yml'), 'id: beta\nname: Beta\ngreeting: Hello\n');
    const other = await createTestDatabase();
    try {
      expect(await new MySqlAgentConfigStore(other.orm).seedDefaults(dir)).toEqual(['alpha', 'beta']);
    } finally {
      await other.drop();
    }
  });
});
