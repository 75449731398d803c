// Drives Debian's firefox-esr over WebDriver BiDi with puppeteer-core, for tests/e2e/firefox_driver.py.
// One JSON request per line on stdin ({id, op, ...}), one JSON answer per line on stdout ({id, ok,
// value} or {id, ok: false, error}). puppeteer-core never downloads a browser: the executable is given.
import { createInterface } from 'node:readline';
import puppeteer from 'puppeteer-core';

/** @type {import('puppeteer-core').Browser | null} */
let browser = null;
/** @type {Map<number, import('puppeteer-core').Page>} */
const pages = new Map();
let nextPage = 1;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A string puppeteer evaluates in the page: the function source applied to its JSON argument. */
const call = (fn, arg) => `(${fn})(${JSON.stringify(arg ?? null)})`;

/** page.goto waits for events Firefox does not send for moz-extension:// pages: poll instead. */
async function gotoExtensionPage(page, url, timeout) {
  page.goto(url, { timeout }).catch(() => {});
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const at = await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '');
    if (at === `${url} complete`) return;
    await sleep(50);
  }
  throw new Error(`${url} did not load in ${timeout} ms`);
}

/** "Control+Enter" -> hold Control, press Enter, release Control. */
async function press(page, combo) {
  const keys = combo.split('+');
  const key = keys.pop();
  for (const k of keys) await page.keyboard.down(k);
  await page.keyboard.press(key);
  for (const k of keys.reverse()) await page.keyboard.up(k);
}

const ops = {
  async launch({ executable, prefs, headless = true }) {
    browser = await puppeteer.launch({
      browser: 'firefox', executablePath: executable, headless, acceptInsecureCerts: true,
      extraPrefsFirefox: prefs,
      // lets WebDriver BiDi open the add-on's own pages (moz-extension://): Firefox refuses otherwise
      env: { ...process.env, MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1' },
      defaultViewport: { width: 1280, height: 900 },
    });
    return browser.version();
  },
  async installExtension({ path }) { return browser.installExtension(path); },
  async open({ url, extensionPage = false, timeout = 15000 }) {
    const page = await browser.newPage();
    const id = nextPage++;
    pages.set(id, page);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.__errors = errors;
    if (extensionPage) await gotoExtensionPage(page, url, timeout);
    else await page.goto(url, { waitUntil: 'load', timeout });
    return id;
  },
  async evaluate({ page, fn, arg }) { return pages.get(page).evaluate(call(fn, arg)); },
  async waitFor({ page, fn, arg, timeout = 10000 }) {
    const handle = await pages.get(page).waitForFunction(call(fn, arg), { timeout, polling: 50 });
    return handle.jsonValue();
  },
  async click({ page, selector }) { await pages.get(page).click(selector); },
  async mouseClick({ page, x, y }) { await pages.get(page).mouse.click(x, y); },
  async mouseMove({ page, x, y }) { await pages.get(page).mouse.move(x, y); },
  async type({ page, text, delay = 0 }) { await pages.get(page).keyboard.type(text, { delay }); },
  async press({ page, key }) { await press(pages.get(page), key); },
  async bringToFront({ page }) { await pages.get(page).bringToFront(); },
  async screenshot({ page, path }) { await pages.get(page).screenshot({ path }); },
  async errors({ page }) { return pages.get(page).__errors; },
  async close({ page }) { await pages.get(page).close(); pages.delete(page); },
  async quit() { if (browser) await browser.close(); browser = null; },
};

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const req = JSON.parse(line);
  let answer;
  try {
    answer = { id: req.id, ok: true, value: (await ops[req.op](req)) ?? null };
  } catch (e) {
    answer = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  if (req.op === 'quit') break;
}
process.exit(0);
