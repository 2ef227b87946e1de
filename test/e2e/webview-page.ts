/**
 * The preview's built webview script (dist/media/preview.js and preview.css)
 * on a plain page in headless Chromium, fed states as the extension sends them:
 * shared by the webview test (test/system/preview-webview.test.ts) and the
 * benchmark (bench/webview.ts). Outside VS Code: no CSP and no nonce here; the
 * real panel's HTML is checked by the end-to-end run.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { PreviewState, SentState } from "../../src/extension/preview/protocol";

/** The shell of previewHtml.ts; the first state comes as a message. */
const PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta id="mailpolicy-preview-state" data-state="null">
<title>webview</title>
</head>
<body>
<main id="preview" aria-live="polite"></main>
</body>
</html>`;

/** What VS Code gives a webview; messages to the extension are kept in `window.__posted`. */
const VSCODE_STUB =
  "window.acquireVsCodeApi = () => ({ postMessage(m) { (window.__posted ??= []).push(m); }, setState() {} });";

/**
 * Runs after preview.js, so its message listener fires after the webview's own
 * (which renders synchronously). `update()` posts the loaded state and resolves
 * with the milliseconds until the new version is in the DOM and the next frame
 * has run (a task after requestAnimationFrame: style, layout and paint done).
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
  window.__mailpolicyWebview = {
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

interface WebviewGlobal {
  readonly __mailpolicyWebview: { load(json: string): void; update(): Promise<number> };
}

export interface WebviewPage {
  readonly page: Page;
  /** Sends `state` (handed to the page untimed first); resolves with the in-page milliseconds to painted. */
  update(state: PreviewState | SentState, timeoutMs?: number): Promise<number>;
}

/** A page showing the built webview script; throws on any page error. */
export async function openWebview(browser: Browser, root: string): Promise<WebviewPage> {
  const script = path.join(root, "dist", "media", "preview.js");
  const style = path.join(root, "dist", "media", "preview.css");
  if (!existsSync(script) || !existsSync(style)) throw new Error("dist/media/preview.js or .css not built");
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.setContent(PAGE_HTML);
  await page.addStyleTag({ content: readFileSync(style, "utf8") });
  await page.addScriptTag({ content: VSCODE_STUB });
  await page.addScriptTag({ content: readFileSync(script, "utf8") });
  await page.addScriptTag({ content: TIMER_SCRIPT });
  const failIfErrors = () => {
    if (errors.length > 0) throw new Error(`page error: ${errors[0]}`);
  };
  failIfErrors();
  return {
    page,
    async update(state, timeoutMs = 180_000) {
      await page.evaluate(
        (json) => (globalThis as unknown as WebviewGlobal).__mailpolicyWebview.load(json),
        JSON.stringify(state),
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`a render took over ${timeoutMs / 1000} s`)), timeoutMs);
      });
      try {
        const ms = await Promise.race([
          page.evaluate(() => (globalThis as unknown as WebviewGlobal).__mailpolicyWebview.update()),
          timeout,
        ]);
        failIfErrors();
        return ms;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
