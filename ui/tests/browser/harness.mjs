// The shared set-up of the browser tests: the built UI (ui/dist) served by `vite preview` with
// the app's content security policy, Debian's Chromium, and the in-memory fake backend injected
// through Tauri's mockIPC. Screenshots go to ui/test-results/ for a person to look at.

import { after, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
import { chromium } from "playwright-core";

export const uiDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const shots = join(uiDir, "test-results");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const HOSTILE = "<img src=x onerror=alert(1)>";

let browser;
let server;
let baseUrl;
let fakeBackend;

async function bundleFakeBackend() {
  const out = await build({
    configFile: false,
    root: uiDir,
    logLevel: "warn",
    build: {
      write: false,
      minify: false,
      lib: { entry: join(uiDir, "tests/browser/fake-backend.ts"), formats: ["iife"], name: "KithFakeBackend" },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output);
  const chunk = outputs.find((o) => o.type === "chunk");
  assert.ok(chunk, "the fake backend bundle has a chunk");
  return chunk.code;
}

/** Registers the suite-wide set-up and tear-down; call once at the top of each test file. */
export function useBrowser() {
  before(async () => {
    assert.ok(existsSync(join(uiDir, "dist/index.html")), "run `npm run build` first: ui/dist is missing");
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
    mkdirSync(shots, { recursive: true });
    fakeBackend = await bundleFakeBackend();
    server = await preview({
      root: uiDir,
      logLevel: "warn",
      preview: { host: "127.0.0.1", port: 4173, strictPort: false, open: false },
    });
    baseUrl = server.resolvedUrls.local[0];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => server?.httpServer.close(r) ?? r());
  });
}

/** The address the app is served at. */
export const appUrl = () => baseUrl;

/** A fresh window on the app with its own fake backend; records anything that went wrong. */
export async function openApp({ colorScheme = "light", config = null, viewport = { width: 1280, height: 820 } } = {}) {
  const context = await browser.newContext({ colorScheme, viewport, deviceScaleFactor: 1 });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  if (config) await context.addInitScript(`window.__KITH_FAKE_CONFIG__ = ${JSON.stringify(config)};`);
  await context.addInitScript(fakeBackend);
  // The desktop window runs with Tauri's freezePrototype on; so does the test.
  await context.addInitScript(() => Object.freeze(Object.prototype));
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.location().url.includes("favicon")) problems.push(`console: ${m.text()}`);
  });
  page.on("dialog", (d) => {
    problems.push(`native dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(baseUrl);
  return { context, page, problems };
}

export async function assertClean(page, problems) {
  const csp = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(csp, [], "no content security policy violations");
  assert.deepEqual(problems, [], "no page errors, console errors or native dialogs");
}

export const lastCall = (page, cmd) =>
  page.evaluate((c) => {
    const calls = window.__kithFake.calls.filter((x) => x.cmd === c);
    return calls[calls.length - 1]?.args ?? null;
  }, cmd);

