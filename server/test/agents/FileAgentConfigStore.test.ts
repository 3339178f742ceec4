import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AgentConfigError, BUILTIN_AGENTS_DIR } from '@voiceroom/agent-core/agents';
import { afterEach, describe, expect, it } from 'vitest';
import { FileAgentConfigStore } from '../../src/agents/FileAgentConfigStore.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'agents-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('FileAgentConfigStore', () => {
  it('loads the shipped pizzeria agent with schema defaults applied', async () => {
    const store = new FileAgentConfigStore(BUILTIN_AGENTS_DIR);
    const config = await store.get('pizzeria');
    expect(config?.menu.items.some((i) => i.name === 'pepperoni pizza')).toBe(true);
    expect(config?.tts.provider).toBe('flite');
    expect(await store.get('nobody')).toBeUndefined();
  });

  it('names the file and the field of an invalid configuration', async () => {
    const dir = await dirWith({ 'bad.yaml': 'id: Bad Id\nname: x\ngreeting: hi\n' });
    const error = await new FileAgentConfigStore(dir).get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentConfigError);
    expect((error as AgentConfigError).code).toBe('agent_config_invalid');
    expect((error as Error).message).toMatch(/bad\.yaml.*id/);
  });

  it('refuses two files with the same agent id and text that is not YAML', async () => {
    const dup = await dirWith({
      'a.yaml': 'id: a\nname: A\ngreeting: hi\n',
      'b.yml': 'id: a\nname: B\ngreeting: hi\n',
    });
    await expect(new FileAgentConfigStore(dup).list()).rejects.toThrow(/duplicate agent id a/);
    const broken = await dirWith({ 'c.yaml': 'id: [unclosed\n' });
    await expect(new FileAgentConfigStore(broken).list()).rejects.toThrow(/does not parse/);
  });

  it('sees edits after reload', async () => {
    const dir = await dirWith({ 'a.yaml': 'id: a\nname: A\ngreeting: hi\n' });
    const store = new FileAgentConfigStore(dir);
    expect((await store.get('a'))?.greeting).toBe('hi');
    await writeFile(path.join(dir, 'a.yaml'), 'id: a\nname: A\ngreeting: hello\n');
    expect((await store.get('a'))?.greeting).toBe('hi');
    await store.reload();
    expect((await store.get('a'))?.greeting).toBe('hello');
  });
});
