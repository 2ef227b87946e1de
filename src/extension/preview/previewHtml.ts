/**
 * The preview's HTML shell. It holds no policy text in markup: the initial
 * state travels in one escaped attribute and the webview script builds the DOM
 * with `textContent`, so a note such as `</pre><script>` stays text.
 */
import type { PreviewState } from "./protocol";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** A random nonce for the CSP: 128 bits, base64url (works in Node and the browser). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export interface PreviewHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly nonce: string;
  /** `webview.asWebviewUri(...)` of the bundled script and stylesheet. */
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly state: PreviewState;
}

/**
 * The Content-Security-Policy: nothing by default, scripts only with the nonce,
 * styles and fonts only from the extension. No remote resources at all.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join("; ");
}

/** The whole document for `webview.html`; later changes arrive as messages. */
export function renderPreviewHtml(o: PreviewHtmlOptions): string {
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  const lang = o.state.lang === "zh-cn" ? "zh-CN" : "en";
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta id="mailpolicy-preview-state" data-state="${escapeHtml(JSON.stringify(o.state))}">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.state.title)}</title>
</head>
<body>
<main id="preview" aria-live="polite"></main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
