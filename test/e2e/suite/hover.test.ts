import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { hoverAt } from "../../../src/extension/hover";
import { uiLang } from "../../../src/extension/language";
import { activate, closeAll, hoverText, openText, positionOf } from "./util";

const POLICY = `mailpolicy: 1
sources:
  office: [203.0.113.0/24, 2001:db8:10::/48]
inbound:
  rules:
    - allow: 993
      from: office
    - allow: 110/tcp
      from: 10.0.0.1/8
    - allow: imaps
      from: any
`;

const IPTABLES = `*filter
:INPUT DROP [0:0]
-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 993 -j ACCEPT
-A INPUT -p tcp -m multiport --dports 25,110,995 -j ACCEPT
COMMIT
`;

/** The hover of the first `needle`, in one language. */
function hoverOf(document: vscode.TextDocument, needle: string, lang: "en" | "zh-cn"): string {
  const hover = hoverAt(document, positionOf(document, needle, true).translate(0, 1), lang);
  return hover ? hoverText([hover]) : "";
}

suite("hover", () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test("993 is IMAP over implicit TLS, in English and Chinese", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    const en = hoverOf(document, "993", "en");
    assert.match(en, /imaps/);
    assert.match(en, /implicit TLS/);
    const zh = hoverOf(document, "993", "zh-cn");
    assert.match(zh, /imaps/);
    assert.match(zh, /隐式 TLS/);
  });

  test("110 is plaintext POP3 with pop3s as its TLS twin, in English and Chinese", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    const en = hoverOf(document, "110/tcp", "en");
    assert.match(en, /pop3/);
    assert.match(en, /TLS twin/);
    const zh = hoverOf(document, "110/tcp", "zh-cn");
    assert.match(zh, /pop3s/);
    assert.match(zh, /[\u4e00-\u9fff]/);
    assert.notEqual(en, zh);
  });

  test("the editor's hover uses the display language (vscode.env.language)", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    const position = positionOf(document, "imaps", true).translate(0, 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      "vscode.executeHoverProvider",
      document.uri,
      position,
    );
    const expected = hoverAt(document, position, uiLang());
    assert.ok(expected);
    assert.ok(hoverText(hovers).includes(hoverText([expected])));
  });

  test("a source name shows its addresses; a CIDR its range and size", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    const source = hoverOf(document, "office\n", "en");
    assert.match(source, /203\.0\.113\.0 – 203\.0\.113\.255 \(256 addresses\)/);
    assert.match(source, /2001:db8:10::\/48/);
    const hostBits = hoverOf(document, "10.0.0.1/8", "en");
    assert.match(hostBits, /10\.0\.0\.0\/8/);
    assert.match(hostBits, /16,777,216 addresses/);
    assert.match(hoverOf(document, "10.0.0.1/8", "zh-cn"), /个地址/);
  });

  test("iptables-save: ports after --dport and --dports, addresses after -s", async () => {
    const { document } = await openText("iptables", IPTABLES);
    assert.match(hoverOf(document, "993", "en"), /imaps/);
    assert.match(hoverOf(document, "110,", "en"), /pop3/);
    assert.match(hoverOf(document, "995", "zh-cn"), /pop3s/);
    assert.match(hoverOf(document, "198.51.100.0/24", "en"), /256 addresses/);
  });
});
