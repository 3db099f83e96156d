/**
 * Browser-test support: the whole platform in-process (startTestPlatform) serving the built web
 * app, Debian's Chromium driven by playwright-core (never a downloaded browser), axe-core injected
 * on each screen, screenshots under test-results/e2e, and a guard that no request leaves the origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import * as OTPAuth from 'otpauth';
import { ROOT, startTestPlatform, type TestPlatform } from '../test/harness.ts';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type Portal = {
  platform: TestPlatform;
  browser: Browser;
  base: string;
  /** Requests the pages made to anywhere but the platform's origin. */
  offsite: string[];
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
};

export async function startPortal(env: Record<string, string> = {}): Promise<Portal> {
  await ensureWebBuild({ quiet: true });
  const platform = await startTestPlatform(env);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const base = platform.url;
  const offsite: string[] = [];
  fs.mkdirSync(SHOTS, { recursive: true });
  return {
    platform, browser, base, offsite,
    async newPage() {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(base) && !u.startsWith(base.replace('http', 'ws')) && !u.startsWith('data:')) offsite.push(u);
      });
      page.setDefaultTimeout(8_000);
      return { context, page };
    },
    async close() {
      await browser.close().catch(() => {});
      await platform.close();
    },
  };
}

/** Runs axe on the current screen: no serious or critical violation allowed. Saves a screenshot. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.evaluate(axeSource);
  // Runs in the page (strings: this file is typechecked without the DOM library).
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`)) as
    { id: string; impact: string; help: string; targets: string[] }[];
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe on ${name}: ${JSON.stringify(bad, null, 2)}`);
}

/** The TOTP code an authenticator app would show for this secret (optionally for a later time). */
export function totp(secret: string, offsetSeconds = 0): string {
  return new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) })
    .generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

/** Every visible text node of the page, trimmed. */
export function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent && n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) continue; // sr-only
      out.push(text);
    }
    return out;
  })()`);
}

/** Evaluates an expression in the page (a string: this folder is typechecked without the DOM library). */
export const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

export const locales = Object.fromEntries(
  ['en', 'es', 'pt', 'fr'].map((l) => [l, JSON.parse(fs.readFileSync(path.join(ROOT, 'web/src/locales', `${l}.json`), 'utf8'))]),
) as Record<'en' | 'es' | 'pt' | 'fr', Record<string, unknown>>;

export function flatLocale(tree: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else Object.assign(out, flatLocale(v as Record<string, unknown>, key));
  }
  return out;
}

export async function chooseLanguage(page: Page, currentLabel: RegExp, languageName: string): Promise<void> {
  await page.getByRole('button', { name: currentLabel }).click();
  await page.getByRole('option', { name: languageName }).click();
}

/**
 * Signs a person in through the login screen (and its second step when the person has a TOTP
 * factor), then waits for the dashboard.
 */
export async function signIn(portal: Portal, page: Page, u: { email: string; password: string; totpSecret?: string }): Promise<void> {
  await page.goto(`${portal.base}/login`);
  await page.getByLabel('Email', { exact: true }).fill(u.email);
  await page.getByLabel('Password', { exact: true }).fill(u.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (u.totpSecret) {
    await page.getByLabel('Code', { exact: true }).fill(totp(u.totpSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
