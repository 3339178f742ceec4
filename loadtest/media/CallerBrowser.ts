/**
 * Headless Chromium hosting the load page: the page is built once with Vite and served by the browser itself
 * (a route on the server's origin, so the page, its API calls and signaling are same-origin without the server
 * serving it), and opened in as many tabs as the callers need.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumFlags, makeSpeechWav } from '../../test/helpers/browser.ts';
import { buildPage } from '../../test/helpers/clientPage.ts';
import type { CallerRow } from './page/VirtualCaller.ts';

const PAGE_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page');
const PAGE_PATH = '/__loadtest/';
/** Many pages share two cores: none of them may be treated as a background tab. */
const EXTRA_FLAGS = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // the page is fulfilled by the browser itself, so Chromium cannot tell it is on loopback and would block its sockets
  '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests',
];

interface LoadCallersApi {
  loadSpeech(base64s: string[]): void;
  start(id: number, durationMs: number, maxTurns?: number): void;
  rows(): CallerRow[];
  finished(): Promise<CallerRow[]>;
}

export class CallerBrowser {
  readonly #browser: Browser;
  readonly #context: BrowserContext;
  readonly #workDir: string;
  readonly #pages: Page[] = [];
  readonly #baseUrl: string;
  readonly #speech: string[];
  readonly #console: string[] = [];

  static async launch(baseUrl: string, speech: Int16Array[]): Promise<CallerBrowser> {
    const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-loadtest-'));
    const built = await buildPage(PAGE_ROOT, path.join(workDir, 'page'));
    // the fake capture flags want a file; the page replaces getUserMedia with scripted microphones anyway
    const unused = await makeSpeechWav('unused', workDir, { name: 'unused' });
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...chromiumFlags(unused), ...EXTRA_FLAGS],
    });
    const context = await browser.newContext();
    await context.route(`${baseUrl}${PAGE_PATH}**`, async (route) => {
      const name = new URL(route.request().url()).pathname.slice(PAGE_PATH.length) || 'index.html';
      const file = path.join(built, path.normalize(name));
      if (!file.startsWith(built + path.sep)) return route.fulfill({ status: 404 });
      const body = await readFile(file).catch(() => undefined);
      if (!body) return route.fulfill({ status: 404 });
      return route.fulfill({
        body,
        contentType: file.endsWith('.js')
          ? 'text/javascript'
          : file.endsWith('.html')
            ? 'text/html'
            : 'application/octet-stream',
      });
    });
    const base64s = speech.map((pcm) =>
      Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64'),
    );
    return new CallerBrowser(browser, context, workDir, baseUrl, base64s);
  }

  private constructor(
    browser: Browser,
    context: BrowserContext,
    workDir: string,
    baseUrl: string,
    speech: string[],
  ) {
    this.#browser = browser;
    this.#context = context;
    this.#workDir = workDir;
    this.#baseUrl = baseUrl;
    this.#speech = speech;
  }

  /** The last console errors of the pages (for failure messages). */
  get consoleErrors(): string[] {
    return [...this.#console];
  }

  /** Opens a new load page with the speech loaded; returns its index. */
  async openPage(): Promise<number> {
    const page = await this.#context.newPage();
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      this.#console.push(m.text());
      if (this.#console.length > 50) this.#console.shift();
    });
    page.on('pageerror', (e) => this.#console.push(`pageerror: ${e.message}`));
    await page.goto(`${this.#baseUrl}${PAGE_PATH}index.html`);
    await page.waitForFunction(() => 'loadCallers' in window);
    await page.evaluate(
      (s) => (window as unknown as { loadCallers: LoadCallersApi }).loadCallers.loadSpeech(s),
      this.#speech,
    );
    this.#pages.push(page);
    return this.#pages.length - 1;
  }

  async startCaller(pageIndex: number, id: number, durationMs: number, maxTurns?: number): Promise<void> {
    const page = this.#pages[pageIndex] as Page;
    await page.evaluate(
      ([i, d, m]) =>
        (window as unknown as { loadCallers: LoadCallersApi }).loadCallers.start(
          i as number,
          d as number,
          m ?? undefined,
        ),
      [id, durationMs, maxTurns ?? null] as const,
    );
  }

  async rows(): Promise<CallerRow[]> {
    const all = await Promise.all(
      this.#pages.map((p) =>
        p.evaluate(() => (window as unknown as { loadCallers: LoadCallersApi }).loadCallers.rows()),
      ),
    );
    return all.flat().sort((a, b) => a.id - b.id);
  }

  async finished(): Promise<CallerRow[]> {
    const all = await Promise.all(
      this.#pages.map((p) =>
        p.evaluate(() => (window as unknown as { loadCallers: LoadCallersApi }).loadCallers.finished()),
      ),
    );
    return all.flat().sort((a, b) => a.id - b.id);
  }

  async close(): Promise<void> {
    await this.#browser.close().catch(() => undefined);
    await rm(this.#workDir, { recursive: true, force: true });
  }
}
