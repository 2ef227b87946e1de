/**
 * Preview, webview side: the built webview script (dist/media/preview.js and
 * preview.css) in a real headless Chromium, fed the same states the extension
 * sends for a 5,000-rule policy. Measures the first render and each update after
 * a one-character edit, from posting the message until the new version is shown
 * and the next frame has been laid out and painted.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import type { PreviewState } from "../src/extension/preview/protocol";
import { CHROMIUM, CHROMIUM_ARGS } from "../test/e2e/chromium";
import { makeTypist, PREVIEW_P95_TARGET_MS } from "./editor";
import { generateBenchPolicy, renderMailpolicy } from "./policy-generator";
import { previewState } from "./preview-state";
import { boundRow, type ResultRow, unavailableRow } from "./report";
import { formatMs, since, summarize } from "./timing";

const RULES = 5000;
/** Timed updates stop once this much time is spent on them (before line-level updates, each took 10-15 s). */
const UPDATE_BUDGET_MS = 120_000;
/** One render longer than this counts as hung. */
const RENDER_TIMEOUT_MS = 180_000;

/** The shell of previewHtml.ts without CSP and nonce; the first state comes as a message. */
const PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta id="mailpolicy-preview-state" data-state="null">
<title>bench</title>
</head>
<body>
<main id="preview" aria-live="polite"></main>
</body>
</html>`;

/** What VS Code gives a webview; the bench only needs the calls not to fail. */
const VSCODE_STUB = "window.acquireVsCodeApi = () => ({ postMessage() {}, setState() {} });";

/**
 * Runs in the page after preview.js, so its message listener fires after the
 * webview's own (which renders synchronously). `update()` posts the loaded state
 * and resolves with the milliseconds until the new version is in the DOM and the
 * next frame has run (a task after requestAnimationFrame: style, layout and paint done).
 */
const TIMER_SCRIPT = `(() => {
  let next = null;
  let pending = null;
  window.addEventListener("message", (event) => {
    const p = pending;
    if (!p || !event.data || event.data.type !== "update") return;
    pending = null;
    const shown = document.body.dataset.version;
    if (shown !== String(p.version)) {
      p.reject(new Error("the webview shows version " + shown + ", expected " + p.version));
      return;
    }
    requestAnimationFrame(() => setTimeout(() => p.resolve(performance.now() - p.start), 0));
  });
  window.__mailpolicyBench = {
    load(json) {
      next = JSON.parse(json);
    },
    update() {
      const state = next;
      next = null;
      return new Promise((resolve, reject) => {
        pending = { version: state.version, resolve, reject, start: performance.now() };
        window.postMessage({ type: "update", state }, "*");
      });
    },
  };
})();`;

interface BenchPage {
  readonly __mailpolicyBench: { load(json: string): void; update(): Promise<number> };
}

/** A page showing the built webview, with page errors collected. */
async function openWebview(browser: Browser, root: string): Promise<{ page: Page; errors: string[] }> {
  const script = join(root, "dist", "media", "preview.js");
  const style = join(root, "dist", "media", "preview.css");
  if (!existsSync(script) || !existsSync(style)) throw new Error("dist/media/preview.js or .css not built");
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.setContent(PAGE_HTML);
  await page.addStyleTag({ content: readFileSync(style, "utf8") });
  await page.addScriptTag({ content: VSCODE_STUB });
  await page.addScriptTag({ content: readFileSync(script, "utf8") });
  await page.addScriptTag({ content: TIMER_SCRIPT });
  if (errors.length > 0) throw new Error(`page error: ${errors[0]}`);
  return { page, errors };
}

/** Sends `state` (transferred untimed first) and returns the in-page milliseconds to painted. */
async function timeRender(page: Page, errors: string[], state: PreviewState): Promise<number> {
  await page.evaluate(
    (json) => (globalThis as unknown as BenchPage).__mailpolicyBench.load(json),
    JSON.stringify(state),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a render took over ${RENDER_TIMEOUT_MS / 1000} s`)), RENDER_TIMEOUT_MS);
  });
  try {
    const ms = await Promise.race([
      page.evaluate(() => (globalThis as unknown as BenchPage).__mailpolicyBench.update()),
      timeout,
    ]);
    if (errors.length > 0) throw new Error(`page error: ${errors[0]}`);
    return ms;
  } finally {
    clearTimeout(timer);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** The webview's first render and its updates after one-character edits, 5,000 rules. */
export async function webviewRows(quick: boolean): Promise<ResultRow[]> {
  const root = resolve(import.meta.dirname, "..");
  const firstMeasure = "5,000 rules: webview first render in headless Chromium";
  const updateMeasure = "5,000 rules: webview update after a one-character edit, headless Chromium, message to painted";
  if (!existsSync(CHROMIUM)) {
    const error = new Error(`${CHROMIUM} not installed`);
    return [unavailableRow("Preview", firstMeasure, error), unavailableRow("Preview", updateMeasure, error)];
  }
  const rows: ResultRow[] = [];
  let browser: Browser | undefined;
  try {
    const text = renderMailpolicy(generateBenchPolicy(RULES));
    const type = makeTypist(text);
    let version = 1;
    const first = previewState(text, version);
    if (first.hasErrors) throw new Error(`the bench policy has errors: ${first.errors[0]?.message}`);
    const firstBytes = Buffer.byteLength(JSON.stringify(first));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const { page, errors } = await openWebview(browser, root);
    const firstMs = await timeRender(page, errors, first);
    rows.push({
      area: "Preview",
      measure: `${firstMeasure} (state ${megabytes(firstBytes)})`,
      result: formatMs(firstMs),
      target: "informational",
      verdict: "info",
    });
    log(`webview first render ${formatMs(firstMs)}`);

    const warmup = quick ? 2 : 3;
    const runs = quick ? 10 : 40;
    const samples: number[] = [];
    let updateBytes = 0;
    const begin = process.hrtime.bigint();
    for (let i = 0; i < warmup + runs; i++) {
      if (samples.length > 0 && since(begin) > UPDATE_BUDGET_MS) break;
      const state = previewState(type(), ++version);
      updateBytes = Math.max(updateBytes, Buffer.byteLength(JSON.stringify(state)));
      const ms = await timeRender(page, errors, state);
      log(`webview update ${i < warmup ? "(warm-up) " : ""}${formatMs(ms)}`);
      if (i >= warmup) samples.push(ms);
    }
    const stats = summarize(samples);
    const stopped =
      samples.length < runs ? `, ${samples.length} of ${runs}: stopped after ${UPDATE_BUDGET_MS / 1000} s` : "";
    rows.push(
      boundRow(
        "Preview",
        `${updateMeasure} (${samples.length} edits after ${warmup} to warm up${stopped})`,
        `p50 ${formatMs(stats.median)}, p95 ${formatMs(stats.p95)} (state ${megabytes(updateBytes)})`,
        stats.p95,
        PREVIEW_P95_TARGET_MS,
        `p95 <= ${PREVIEW_P95_TARGET_MS} ms`,
      ),
    );
  } catch (error) {
    if (rows.length === 0) rows.push(unavailableRow("Preview", firstMeasure, error));
    rows.push(unavailableRow("Preview", updateMeasure, error));
  } finally {
    await browser?.close();
  }
  return rows;
}
