/**
 * Debian's Chromium and the flags it needs here: shared by the end-to-end run
 * (test/e2e/run.ts) and the preview webview benchmark (bench/webview.ts).
 */

export const CHROMIUM = "/usr/bin/chromium";

/** Browser flags that work headless as root with no network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
