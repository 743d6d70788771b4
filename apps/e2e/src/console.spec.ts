import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { installFakeRuntime, makeSandbox, REPO_ROOT, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

// The fleet console in a real browser (Debian's chromium driven by playwright-core): the
// real five services, real tmux, two fake-agent peers. The page is logged in with the
// link `iapeer console` prints; everything after that arrives over its event streams.
const CHROMIUM = process.env.IAPEER_CHROMIUM ?? '/usr/bin/chromium';
const SCREENS = path.join(REPO_ROOT, 'tmp', 'console-screens');

describe('the fleet console in Chromium (five services, real tmux)', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  const row = (peer: string) => page.locator(`tr[data-peer="${peer}"]`);
  const rowState = (peer: string) => row(peer).getAttribute('data-state');

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000', IAPEER_MCP_IDENTITY: 'header-only' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    for (const name of ['alice', 'bob']) {
      const r = await runCli(['create', name, '--runtime', 'fake', '--description', `${name} the tester`], sb.env);
      expect(r.code).toBe(0);
    }
    // root in a container; a desktop user needs no flag
    browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    fs.mkdirSync(SCREENS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await runCli(['stop', '--all'], sb.env).catch(() => undefined);
    await stack?.stop();
    sb?.cleanup();
  });

  it('`iapeer console` prints a one-time link; the page it opens shows both peers asleep', async () => {
    const r = await runCli(['console', '--json'], sb.env);
    expect(r.code).toBe(0);
    const login = JSON.parse(r.stdout) as { url: string; base: string; readOnly: boolean };
    expect(login.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?token=[\w-]{20,}$/);
    expect(login.readOnly).toBe(false);
    base = login.base;
    await page.goto(login.url);
    await page.waitForURL(`${base}/`);
    await waitFor(async () => (await rowState('alice')) === 'asleep' && (await rowState('bob')) === 'asleep', 'both rows asleep');
    await expect(row('bob').locator('td.state').textContent()).resolves.toBe('○ asleep');
    // the link was spent: a second browser cannot use it
    const other = await browser.newContext();
    const second = await (await other.newPage()).goto(login.url);
    expect(second?.status()).toBe(401);
    await other.close();
  });

  it('a send typed into the page wakes bob; the row turns ready within a second of the wake, without reload', async () => {
    let loads = 0;
    page.on('load', () => loads++);
    await page.getByLabel('To', { exact: true }).selectOption('bob');
    await page.getByLabel('As', { exact: true }).selectOption('fake-alice');
    await page.getByLabel('Topic', { exact: true }).fill('console-demo');
    await page.getByLabel('Message', { exact: true }).fill('hello bob from the console');
    await page.getByRole('button', { name: 'Send' }).click();
    // the service's own answer
    await page.getByTestId('result').filter({ hasText: 'delivered to bob (fake), woke it' }).waitFor({ timeout: 30_000 });
    const answeredAt = Date.now();
    await waitFor(async () => (await rowState('bob')) === 'ready', 'bob ready in the page', 5_000, 20);
    // the send answers once bob's session took the message (it was ready before that)
    expect(Date.now() - answeredAt).toBeLessThan(1000);
    expect(loads).toBe(0);
    await expect(row('bob').locator('td.state').textContent()).resolves.toBe('● ready');
    await expect(row('alice').getAttribute('data-state')).resolves.toBe('asleep');
  });

  it('the decision stream shows the wake and the delivery (never the body)', async () => {
    await page.locator('ol.decisions li[data-ev="wake"][data-peer="bob"]').first().waitFor({ timeout: 10_000 });
    await page.locator('ol.decisions li[data-ev="delivery"][data-peer="bob"]').first().waitFor({ timeout: 10_000 });
    const text = await page.locator('ol.decisions').first().textContent();
    expect(text).toContain('mode=fresh');
    expect(text).not.toContain('hello bob from the console');
    // filter by peer: alice's lines are the ones about her or sent by her (the delivery, not bob's wake)
    await page.getByLabel('Peer', { exact: true }).selectOption('alice');
    await waitFor(async () => (await page.locator('ol.decisions li[data-ev="wake"][data-peer="bob"]').count()) === 0, "bob's wake filtered out");
    await expect(page.locator('ol.decisions li[data-ev="delivery"][data-peer="bob"]').count()).resolves.toBeGreaterThan(0);
    await page.getByLabel('Peer', { exact: true }).selectOption('');
    await page.screenshot({ path: path.join(SCREENS, 'fleet.png'), fullPage: true });
  });

  it("bob's detail shows its pane read-only, its decisions, and Stop turns the row ✕ stopped", async () => {
    await page.getByRole('button', { name: 'Show bob' }).click();
    await page.getByLabel('Screen of fake-bob').filter({ hasText: /\S/ }).waitFor();
    await waitFor(async () => !/reading…|no live session/.test((await page.getByLabel('Screen of fake-bob').textContent()) ?? ''), 'the pane preview');
    await page.screenshot({ path: path.join(SCREENS, 'peer-detail.png'), fullPage: true });
    await page.getByRole('button', { name: 'Stop bob' }).click();
    await page.getByTestId('result').filter({ hasText: 'fake-bob: stopped' }).waitFor({ timeout: 15_000 });
    await waitFor(async () => (await rowState('bob')) === 'stopped', 'bob stopped in the page', 5_000, 20);
    await expect(row('bob').locator('td.state').textContent()).resolves.toBe('✕ stopped');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SCREENS, 'phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('refuses an API call without the cookie, and an action from a foreign Origin or without JSON', async () => {
    const noCookie = await fetch(`${base}/trpc/session`);
    expect(noCookie.status).toBe(401);
    const cookie = (await context.cookies(base)).find((c) => c.name.startsWith('iapeer_console_'))!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const withCookie = { cookie: `${cookie.name}=${cookie.value}` };
    expect((await fetch(`${base}/trpc/session`, { headers: withCookie })).status).toBe(200);
    const action = (headers: Record<string, string>) =>
      fetch(`${base}/trpc/start`, { method: 'POST', headers: { ...withCookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ json: { personality: 'bob' } }) });
    const foreign = await action({ origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('evil.example');
    const sameHostOtherPort = await action({ origin: 'http://127.0.0.1:1' });
    expect(sameHostOtherPort.status).toBe(403);
    const form = await fetch(`${base}/trpc/start`, { method: 'POST', headers: { ...withCookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' }, body: 'personality=bob' });
    expect(form.status).toBe(415);
    // fetch() will not send a Host of our choosing: a raw request does, as a rebinding page's would
    const rebinding = await new Promise<number>((resolve, reject) =>
      http.get(`${base}/trpc/session`, { headers: { ...withCookie, host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
    );
    expect(rebinding).toBe(403);
    // none of them started bob
    await expect(rowState('bob')).resolves.toBe('stopped');
  });

  it('a read-only login (`iapeer console --read-only`) shows the fleet, offers no action, and its cookie cannot act', async () => {
    const r = await runCli(['console', '--read-only', '--json'], sb.env);
    expect(r.code).toBe(0);
    const login = JSON.parse(r.stdout) as { url: string; readOnly: boolean };
    expect(login.readOnly).toBe(true);
    const ro = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await ro.newPage();
      p.setDefaultTimeout(10_000);
      await p.goto(login.url);
      await p.locator('tr[data-peer="bob"][data-state="stopped"]').waitFor();
      await p.getByText('read-only', { exact: true }).waitFor();
      expect(await p.getByRole('button', { name: 'Send' }).count()).toBe(0);
      await p.getByRole('button', { name: 'Show bob' }).click();
      await p.getByLabel('Screen of fake-bob').waitFor();
      expect(await p.getByRole('button', { name: 'Start bob' }).count()).toBe(0);
      const cookie = (await ro.cookies(base)).find((c) => c.name.startsWith('iapeer_console_'))!;
      const start = await fetch(`${base}/trpc/start`, {
        method: 'POST',
        headers: { cookie: `${cookie.name}=${cookie.value}`, origin: base, 'content-type': 'application/json' },
        body: JSON.stringify({ json: { personality: 'bob' } }),
      });
      expect(start.status).toBe(403);
      expect(await start.text()).toContain('read-only');
      await expect(rowState('bob')).resolves.toBe('stopped');
    } finally {
      await ro.close();
    }
  });
});
