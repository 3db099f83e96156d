/**
 * The portal in a real browser: first setup, keyboard sign-in, required 2FA enrolment with a TOTP
 * computed like an authenticator app, sign-in with the second factor and with a recovery code,
 * profile, admin screens, the live connection, language switching — axe and a screenshot on each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { checkScreen, chooseLanguage, flatLocale, inPage, locales, startPortal, totp, visibleTexts, type Portal } from './support.ts';

let portal: Portal;
let page: Page;
const admin = { name: 'Ana Admin', email: 'ana.admin@csirt.example', password: 'a long enough passphrase' };
let secret = '';
let recoveryCodes: string[] = [];

before(async () => {
  portal = await startPortal();
  ({ page } = await portal.newPage());
});
after(async () => {
  await portal?.close();
});

async function signIn(p: Page) {
  await p.goto(`${portal.base}/login`);
  await p.getByLabel('Email', { exact: true }).fill(admin.email);
  await p.getByLabel('Password', { exact: true }).fill(admin.password);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(p: Page) {
  await p.getByRole('button', { name: 'Sign out', exact: true }).click();
  await p.getByRole('heading', { name: 'Sign in' }).waitFor();
}

test('before setup, the app sends visitors to sign-in and says setup is pending; skip link first in tab order', async () => {
  await page.goto(portal.base);
  await page.waitForURL(/\/login\?next=/);
  await page.getByText('This platform has no administrator yet').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await inPage(page, 'document.activeElement?.textContent'), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await inPage(page, 'document.activeElement?.id'), 'main');
  await checkScreen(page, '01-login-before-setup');
});

test('first-run setup creates the administrator from the one-time link', async () => {
  const link = new URL(portal.platform.setupUrl!);
  await page.goto(`${portal.base}${link.pathname}${link.search}`);
  await page.getByRole('heading', { name: 'Set up Hemisphere' }).waitFor();
  await checkScreen(page, '02-setup');
  await page.getByLabel('Your name', { exact: true }).fill(admin.name);
  await page.getByLabel('Email', { exact: true }).fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  // Refused with the reason in the user's language; nothing is created.
  await page.getByRole('alert').filter({ hasText: 'Some fields are not valid.' }).waitFor();
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByText('The administrator account is ready.').waitFor();
  await checkScreen(page, '03-setup-done');
  // The link is single-use.
  await page.goto(`${portal.base}${link.pathname}${link.search}`);
  await page.getByLabel('Your name', { exact: true }).fill('Someone Else');
  await page.getByLabel('Email', { exact: true }).fill('other@csirt.example');
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByRole('alert').filter({ hasText: 'This link is invalid, used or expired.' }).waitFor();
});

test('sign-in by keyboard alone; the administrator must enrol a second factor before anything else', async () => {
  await page.goto(`${portal.base}/login`);
  await page.getByLabel('Email', { exact: true }).focus();
  await page.keyboard.type(admin.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(admin.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/security$/);
  await page.getByText('Your role requires two-step sign-in.').waitFor();
  await checkScreen(page, '04-security-required');
  // Other screens stay closed until enrolment is done.
  await page.goto(`${portal.base}/admin/audit`);
  await page.waitForURL(/\/security$/);
});

test('2FA enrolment: QR code, a TOTP code from the secret, recovery codes shown once', async () => {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
  secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await checkScreen(page, '05-security-enrol');
  await page.getByLabel('Code', { exact: true }).fill('000000');
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel('Code', { exact: true }).fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((s) => s.trim());
  assert.equal(recoveryCodes.length, 10);
  await checkScreen(page, '06-recovery-codes');
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await page.getByText('Two-step sign-in is on', { exact: true }).waitFor();
  await checkScreen(page, '07-security-on');
});

test('the dashboard shows what exists for an administrator, with the live connection up', async () => {
  await page.goto(portal.base);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByText('Welcome, Ana Admin.').waitFor();
  await page.locator('[data-connection="open"]').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Audit log' }).count(), 2); // nav + dashboard card
  await checkScreen(page, '08-dashboard');
});

test('sign out, then sign in with the second factor (a TOTP code) and later with a recovery code', async () => {
  await signOut(page);
  await signIn(page);
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await checkScreen(page, '09-login-second-factor');
  await page.getByLabel('Code', { exact: true }).fill('123456');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('alert').waitFor();
  // The enrolment used this time step; an authenticator shows the next one 30 s later (within the allowed window).
  await page.getByLabel('Code', { exact: true }).fill(totp(secret, 30));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

  await signOut(page);
  await signIn(page);
  await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

test('profile: time zone saved, an API token created and shown once, sessions listed', async () => {
  await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('heading', { name: 'Profile' }).waitFor();
  await page.getByLabel('Time zone', { exact: true }).selectOption('America/Bogota');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByLabel('Token name', { exact: true }).fill('SIEM export');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByText('Copy this token now').waitFor();
  await page.getByText('This session').waitFor();
  await checkScreen(page, '10-profile');
  const me = await inPage<{ timeZone: string }>(page, "fetch('/api/me').then((r) => r.json())");
  assert.equal(me.timeZone, 'America/Bogota');
});

test('admin screens: the audit log filters by action and pages; the outbox shows the queue and mail', async () => {
  await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByRole('table').waitFor();
  await checkScreen(page, '11-audit');
  await page.getByLabel('Action', { exact: true }).fill('platform.setup');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction("document.querySelectorAll('tbody tr').length === 1");
  assert.equal((await page.locator('tbody tr td:nth-child(3)').allTextContents()).join(), 'platform.setup');
  await page.getByRole('navigation').getByRole('link', { name: 'Outbox' }).click();
  await page.getByRole('heading', { name: 'Queued events' }).waitFor();
  await checkScreen(page, '12-outbox');
});

test('switching language changes every visible string, and the choice is saved to the profile', async () => {
  await page.goto(portal.base);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const en = flatLocale(locales.en);
  const enTexts = new Set(Object.values(en).filter((v) => !v.includes('{{')));
  const shownEnglish = (await visibleTexts(page)).filter((s) => enTexts.has(s));
  assert.ok(shownEnglish.length >= 8, `expected English strings on screen, saw ${shownEnglish.join(' | ')}`);
  let label = /Language/;
  for (const [lang, name, heading] of [['es', 'Español', 'Panel'], ['pt', 'Português', 'Painel'], ['fr', 'Français', 'Tableau de bord']] as const) {
    await chooseLanguage(page, label, name);
    await page.getByRole('heading', { name: heading }).waitFor();
    const other = flatLocale(locales[lang]);
    const texts = await visibleTexts(page);
    const leftInEnglish = Object.keys(en).filter((k) => en[k] !== other[k] && texts.includes(en[k]!));
    assert.deepEqual(leftInEnglish, [], `${lang}: still in English`);
    const translated = Object.keys(en).filter((k) => shownEnglish.includes(en[k]!) && texts.includes(other[k]!));
    assert.ok(translated.length >= shownEnglish.length - 1, `${lang}: ${translated.length} of ${shownEnglish.length} strings translated`);
    assert.equal(await inPage(page, 'document.documentElement.lang'), lang);
    await checkScreen(page, `13-dashboard-${lang}`);
    label = new RegExp(other['shell.language']!);
  }
  await page.waitForFunction("fetch('/api/me').then((r) => r.json()).then((me) => me.locale === 'fr')");
  // A fresh page (same account) comes up in the profile's language.
  await page.reload();
  await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
  await chooseLanguage(page, /Langue/, 'English');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

test('password reset and email verification pages', async () => {
  await page.goto(`${portal.base}/reset-password?token=${'x'.repeat(40)}`);
  await page.getByLabel('New password', { exact: true }).fill('another long passphrase');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.getByRole('alert').waitFor();
  await checkScreen(page, '14-reset-password');
  await page.goto(`${portal.base}/verify-email?token=${'y'.repeat(40)}`);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('alert').waitFor();
  await checkScreen(page, '15-verify-email');
  await signOut(page);
  await page.goto(`${portal.base}/forgot-password`);
  await page.getByLabel('Email', { exact: true }).fill(admin.email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByText('If this address has an account').waitFor();
  await checkScreen(page, '16-forgot-password');
});

test('no request left the origin', () => {
  assert.deepEqual(portal.offsite, []);
});
