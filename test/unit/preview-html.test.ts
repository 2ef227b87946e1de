import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  contentSecurityPolicy,
  createNonce,
  escapeHtml,
  renderPreviewHtml,
} from "../../src/extension/preview/previewHtml";
import type { PreviewLabels, PreviewState } from "../../src/extension/preview/protocol";

const HOSTILE = '</pre><script>alert(1)</script><img src=x onerror="alert(2)">&amp;\'';

function state(note: string): PreviewState {
  const labels = Object.fromEntries(
    ["hostTitle", "cloudTitle", "copy", "save"].map((k) => [k, `label ${k} ${note}`]),
  ) as unknown as PreviewLabels;
  return {
    resource: "file:///srv/policy/mx1.mailpolicy.yaml",
    title: `mx1 ${note}.mailpolicy.yaml`,
    version: 3,
    lang: "en",
    locked: false,
    labels,
    hasErrors: false,
    errors: [],
    outputs: [
      {
        target: "iptables",
        fileName: "rules.v4",
        text: `-A INPUT -p tcp -m tcp --dport 110 -m comment --comment "${note}" -j ACCEPT\n`,
        lineRules: ["inbound:0"],
        configured: true,
        problems: [],
      },
    ],
    host: "iptables",
    cloud: "aliyun",
    cursorRule: null,
  };
}

function render(note: string, nonce = "n0nce"): string {
  return renderPreviewHtml({
    cspSource: "https://file+.vscode-resource.vscode-cdn.net",
    nonce,
    scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/preview.js",
    styleUri: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/preview.css",
    state: state(note),
  });
}

function unescapeHtml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|#39|amp);/g,
    (_, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]!,
  );
}

describe("preview HTML", () => {
  test("escapeHtml replaces the five characters that can open markup or end an attribute", () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  test("escaped text never contains a raw markup or quote character, and unescapes back to itself", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const escaped = escapeHtml(text);
        assert.doesNotMatch(escaped, /[<>"']/);
        assert.equal(unescapeHtml(escaped), text);
      }),
    );
  });

  test("a note containing </pre> and <script> adds no element: the only script is the nonce one", () => {
    const html = render(HOSTILE);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="n0nce" src="[^"]+preview\.js"><\/script>/);
    assert.doesNotMatch(html, /<\/pre>/);
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /onerror="/);
  });

  test("the state travels intact in one attribute: the webview parses exactly what was sent", () => {
    const html = render(HOSTILE);
    const m = /data-state="([^"]*)"/.exec(html);
    assert.ok(m, "data-state attribute present");
    assert.deepEqual(JSON.parse(unescapeHtml(m[1])), state(HOSTILE));
  });

  test("the content security policy allows no remote origin, no inline script, and scripts only by nonce", () => {
    const csp = contentSecurityPolicy("https://file+.vscode-resource.vscode-cdn.net", "abc");
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|http:/);
    assert.match(render("x"), /http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
  });

  test("each nonce is fresh and long enough to be unguessable", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{22}$/);
  });
});
