import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkPolicy, configuredTargets } from "../../src/core/check";
import { generateTarget } from "../../src/core/generate/index";
import type { Lang } from "../../src/core/model";
import { POLICY_TEMPLATES, renderTemplate } from "../../src/extension/commands/templates";

const LANGS: Lang[] = ["en", "zh-cn"];

describe("new-policy templates", () => {
  for (const template of POLICY_TEMPLATES) {
    for (const lang of LANGS) {
      test(`${template.id} (${lang}) checks without errors or warnings and generates every target it configures`, () => {
        const check = checkPolicy(renderTemplate(template, lang), { lang });
        assert.deepEqual(
          check.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning").map((d) => d.code),
          [],
        );
        for (const target of configuredTargets(check.policy)) {
          assert.ok(generateTarget(check.policy, target, lang).text.length > 0, target);
        }
      });
    }
  }

  test("the two languages differ only in comments: the policies are the same", () => {
    for (const template of POLICY_TEMPLATES) {
      const strip = (text: string) => text.replace(/\s*#.*$/gm, "");
      assert.equal(strip(renderTemplate(template, "zh-cn")), strip(renderTemplate(template, "en")), template.id);
      assert.notEqual(renderTemplate(template, "zh-cn"), renderTemplate(template, "en"), template.id);
    }
  });

  test("the Alibaba Cloud mail template sends on 465 to smtp.qiye.aliyun.com and never opens outbound 25", () => {
    const template = POLICY_TEMPLATES.find((t) => t.id === "app-aliyun-mail")!;
    const text = renderTemplate(template, "en");
    assert.match(text, /smtp\.qiye\.aliyun\.com:465/);
    const { policy } = checkPolicy(text);
    const outbound = policy.outbound.rules;
    assert.ok(
      outbound.some((r) => r.action === "allow" && r.ports.some((p) => p.from === 465 && p.protocol === "tcp")),
    );
    assert.ok(!outbound.some((r) => r.action === "allow" && r.ports.some((p) => p.from <= 25 && 25 <= p.to)));
    assert.ok(outbound.some((r) => r.action !== "allow" && r.ports.some((p) => p.from === 25)));
    assert.ok(policy.targets.aliyun);
  });

  test("the mail-client template keeps plaintext IMAP and POP3 closed", () => {
    const template = POLICY_TEMPLATES.find((t) => t.id === "submission-imap-host")!;
    const { policy } = checkPolicy(renderTemplate(template, "en"));
    const open = policy.inbound.rules.filter((r) => r.action === "allow").flatMap((r) => r.ports.map((p) => p.from));
    assert.deepEqual(
      open.sort((a, b) => a - b),
      [22, 465, 587, 993, 995],
    );
  });
});
