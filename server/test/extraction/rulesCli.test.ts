import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(ROOT, 'server/src/extraction/cli.ts');

/** Runs `npm run extract -- ARGS` the way the script does (node server/src/extraction/cli.ts), rules only. */
function extract(...args: string[]) {
  const env = { ...process.env };
  delete env.DEEPSEEK_API_KEY;
  delete env.LLM_MODEL_PATH;
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run extract', () => {
  it('prints the customer and items of a transcript file as JSON', () => {
    const run = extract('bench/fixtures/transcripts/01-simple-punctuated.json');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.source).toBe('rules');
    expect(result.customer).toMatchObject({
      name: 'John Smith',
      address: '42 Baker Street',
      phone: '555-201-3344',
    });
    expect(result.items).toEqual([
      { name: 'pepperoni pizza', size: 'large', quantity: 2, unit_price: 15.5 },
      { name: 'coke', size: null, quantity: 1, unit_price: 2.5 },
    ]);
  });

  it('uses another agent’s menu with --agent', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'extract-cli-'));
    const agentFile = path.join(dir, 'noodles.yaml');
    writeFileSync(
      agentFile,
      'id: noodles\nname: Noodle bar\ngreeting: Hello\nmenu:\n  currency: EUR\n  items:\n    - { name: ramen, sizes: { regular: 11, large: 14 } }\n',
    );
    const transcript = path.join(dir, 'call.json');
    writeFileSync(transcript, JSON.stringify([{ speaker: 'customer', text: 'one large ramen please' }]));
    const run = extract(transcript, '--agent', agentFile);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      currency: 'EUR',
      items: [{ name: 'ramen', size: 'large', quantity: 1, unit_price: 14 }],
    });
  });

  it('says clearly when the file is missing, not JSON, or not a transcript', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'extract-cli-'));
    const notJson = path.join(dir, 'a.json');
    writeFileSync(notJson, '{oops');
    const wrongShape = path.join(dir, 'b.json');
    writeFileSync(wrongShape, JSON.stringify({ speaker: 'customer', text: 'hi' }));

    const cases: Array<[string[], string, RegExp]> = [
      [[path.join(dir, 'nope.json')], 'transcript_not_found', /does not exist/],
      [[notJson], 'transcript_not_json', /not valid JSON/],
      [[wrongShape], 'transcript_invalid', /must be a JSON array of/],
      [[], 'usage', /usage: npm run extract -- TRANSCRIPT.json/],
    ];
    for (const [args, code, message] of cases) {
      const run = extract(...args);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      const { error } = JSON.parse(run.stderr);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
  });
});
