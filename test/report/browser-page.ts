/**
 * What the browser tests share: Debian's Chromium (or $PORTLAB_CHROMIUM), the flags a closed network needs,
 * the skip-or-fail rule (skipped without a browser, except in CI), and a page opened from rendered HTML that
 * records every console error, page error and network request.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './fixture.js';

export const CHROMIUM = process.env.PORTLAB_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('results/test-artifacts/', REPO_ROOT));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser test cannot run here, or false; in CI (CI=true) a missing browser fails instead. */
export function browserMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const message = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser test`;
  if (process.env.CI === 'true') assert.fail(`${message}; in CI (CI=true) this test must not be skipped`);
  return message;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Writes `html` to results/test-artifacts/<name>.html and opens it; `problems` collects what went wrong. */
export async function openHtml(browser: Browser, html: string, name: string): Promise<{ page: Page; problems: string[] }> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = `${ARTIFACTS}${name}.html`;
  await writeFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) problems.push(`network request: ${req.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}
