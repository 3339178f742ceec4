/**
 * npm run audit:security: runs every test/security/*.attack.test.ts with vitest (real server, MariaDB, Redis),
 * prints attack | expected | result and writes the same rows to bench/results/security-audit.json.
 * Test names read "attack: <what the attacker does> | expected: <what must happen>". Exits 1 when any case fails,
 * a file does not load, a name does not follow that form, or there is nothing to run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Assertion {
  title: string;
  fullName: string;
  status: string;
  failureMessages: string[];
}
interface FileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: Assertion[];
}
interface Row {
  file: string;
  attack: string;
  expected: string;
  result: 'pass' | 'FAIL' | 'skip';
  error?: string;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'bench', 'results', 'security-audit.json');
const NAME = /^attack:\s*(.+?)\s*\|\s*expected:\s*(.+)$/s;

function runVitest(): FileResult[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'security-audit-'));
  const json = path.join(dir, 'vitest.json');
  try {
    const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    spawnSync(
      process.execPath,
      [vitest, 'run', 'test/security/', '--reporter=dot', '--reporter=json', `--outputFile.json=${json}`],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    return (JSON.parse(readFileSync(json, 'utf8')) as { testResults: FileResult[] }).testResults;
  } catch (error) {
    console.error(`vitest produced no report (${(error as Error).message}): see its output above.`);
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split('\n')
    .find((line) => line.trim() !== '')
    ?.trim()
    .slice(0, 300);
}

function rowsOf(files: FileResult[]): Row[] {
  const rows: Row[] = [];
  for (const file of files.filter((f) => f.name.endsWith('.attack.test.ts'))) {
    const name = path.relative(ROOT, file.name);
    // A file that did not load, or whose setup failed (its cases then show as skipped), is a failure of its own.
    const failedCase = file.assertionResults.some((a) => a.status === 'failed');
    if (file.assertionResults.length === 0 || (file.status === 'failed' && !failedCase)) {
      const error = firstLine(file.message) ?? 'no test ran';
      rows.push({
        file: name,
        attack: `(${name} did not run)`,
        expected: 'the file loads and runs',
        result: 'FAIL',
        error,
      });
    }
    for (const a of file.assertionResults) {
      const named = NAME.exec(a.title);
      const result = a.status === 'passed' ? 'pass' : a.status === 'failed' ? 'FAIL' : 'skip';
      const row: Row = named
        ? { file: name, attack: named[1] ?? '', expected: named[2] ?? '', result }
        : {
            file: name,
            attack: a.fullName,
            expected: '(name must read "attack: ... | expected: ...")',
            result: 'FAIL',
          };
      const error = firstLine(a.failureMessages[0]);
      if (error) row.error = error;
      rows.push(row);
    }
  }
  return rows;
}

/** A Markdown table: readable in a terminal, pasteable into a report. */
function printTable(rows: Row[]): void {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  console.log('\n| attack | expected | result |\n| --- | --- | --- |');
  for (const row of rows) console.log(`| ${cell(row.attack)} | ${cell(row.expected)} | ${row.result} |`);
  for (const row of rows.filter((r) => r.result === 'FAIL')) {
    console.log(`\nFAIL ${row.file}: ${row.attack}\n  ${row.error ?? ''}`);
  }
}

const rows = rowsOf(runVitest());
printTable(rows);
const failed = rows.filter((r) => r.result === 'FAIL').length;
const summary = { total: rows.length, passed: rows.filter((r) => r.result === 'pass').length, failed };
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ ranAt: new Date().toISOString(), ...summary, rows }, null, 2)}\n`);
console.log(
  `\n${summary.passed}/${summary.total} attack cases refused as expected; written to ${path.relative(ROOT, OUT)}`,
);
if (rows.length === 0)
  console.error('No attack case ran: test/security/*.attack.test.ts is empty or did not load.');
process.exitCode = failed > 0 || rows.length === 0 ? 1 : 0;
