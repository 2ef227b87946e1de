/**
 * Preview, webview side: the built webview script (dist/media/preview.js and
 * preview.css) in a real headless Chromium, fed the same states the extension
 * sends for a 5,000-rule policy. Measures the first render and each update after
 * a one-character edit, from posting the message until the new version is shown
 * and the next frame has been laid out and painted.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { type SentOutputs, sentState } from "../src/extension/preview/previewModel";
import { CHROMIUM, CHROMIUM_ARGS } from "../test/e2e/chromium";
import { openWebview } from "../test/e2e/webview-page";
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

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
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
  const firstMeasure =
    "5,000 rules: webview first view in headless Chromium, to the first paint / until every line is made";
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
    // As the panel sends them: the first state whole, then each output as the lines that changed.
    const sent: SentOutputs = new Map();
    const first = sentState(previewState(text, version), sent, version);
    if (first.hasErrors) throw new Error(`the bench policy has errors: ${first.errors[0]?.message}`);
    const firstBytes = Buffer.byteLength(JSON.stringify(first));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const webview = await openWebview(browser, root);
    const started = process.hrtime.bigint();
    const firstMs = await webview.update(first, RENDER_TIMEOUT_MS);
    // The lines past the first screenfuls are made in the background, a batch per task.
    await webview.page.waitForFunction("document.body.dataset.building === undefined", undefined, {
      timeout: RENDER_TIMEOUT_MS,
    });
    const allMs = since(started);
    rows.push({
      area: "Preview",
      measure: `${firstMeasure} (state ${megabytes(firstBytes)})`,
      result: `${formatMs(firstMs)} / ${formatMs(allMs)}`,
      target: "informational",
      verdict: "info",
    });
    log(`webview first view ${formatMs(firstMs)}, all lines ${formatMs(allMs)}`);

    const warmup = quick ? 2 : 3;
    const runs = quick ? 10 : 40;
    const samples: number[] = [];
    let updateBytes = 0;
    const begin = process.hrtime.bigint();
    for (let i = 0; i < warmup + runs; i++) {
      if (samples.length > 0 && since(begin) > UPDATE_BUDGET_MS) break;
      version++;
      const state = sentState(previewState(type(), version), sent, version);
      updateBytes = Math.max(updateBytes, Buffer.byteLength(JSON.stringify(state)));
      const ms = await webview.update(state, RENDER_TIMEOUT_MS);
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
        `p50 ${formatMs(stats.median)}, p95 ${formatMs(stats.p95)} (largest message ${kilobytes(updateBytes)})`,
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
