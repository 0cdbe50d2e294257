import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Browser tests drive Debian's chromium through playwright-core (never a downloaded browser:
 * see ../shared/TOOLCHAIN.md). `.ci/run` installs chromium with apt-get. Where it is missing
 * outside CI the browser suites are skipped with a warning; in CI they fail, so a CI machine
 * without a browser can never pass them by skipping.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Screenshots of each browser test, kept as CI artifacts (gitignored). */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', '..', 'test-artifacts', 'browser');

export const browserAvailable = existsSync(CHROMIUM_PATH);

/** `describe` for a browser suite: skipped (loudly) without chromium, except in CI. */
export function describeInBrowser(name: string, body: () => void): void {
  if (browserAvailable || process.env.CI) return describe(name, body);
  // eslint-disable-next-line no-console
  console.warn(`Skipping browser tests "${name}": no chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  describe.skip(name, body);
}

export async function launchBrowser(): Promise<Browser> {
  if (!browserAvailable) throw new Error(`No chromium at ${CHROMIUM_PATH}: .ci/run installs it with apt-get install chromium`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

/** A tab, with everything the page complained about (console errors, uncaught exceptions, failed requests). */
export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  close(): Promise<void>;
}

/**
 * Opens `url` in a fresh context (its own sessionStorage). With a token, the user is signed in
 * before any page script runs, as the sign-in form would leave it.
 */
export async function openPage(browser: Browser, url: string, options: { token?: string; viewport?: { width: number; height: number } } = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: options.viewport ?? { width: 1400, height: 1000 } });
  if (options.token) await context.addInitScript({ content: `sessionStorage.setItem('vjt.accessToken', ${JSON.stringify(options.token)});` });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`); });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A download or a navigation the test started on purpose may be aborted; anything else is a fault.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => { if (response.status() >= 500) problems.push(`HTTP ${response.status()}: ${response.url()}`); });
  await page.goto(url);
  return { page, context, problems, close: () => context.close() };
}

/** Saves a full-page screenshot as a test artifact; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
