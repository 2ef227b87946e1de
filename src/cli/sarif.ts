/**
 * `check --format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
 * One run, one rule per stable diagnostic code with its default level.
 */
import { pathToFileURL } from "node:url";
import { DEFAULT_SEVERITY, DIAGNOSTIC_CODES, type DiagnosticCode, type Severity } from "../core/diagnostics";
import { diagnosticLocation, type FileDiagnostics } from "../core/format";
import type { Lang, Localized } from "../core/model";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

type SarifLevel = "error" | "warning" | "note";

/** SARIF has no hint level; acknowledged diagnostics are notes. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === "error" ? "error" : severity === "warning" ? "warning" : "note";
}

/** What each code is about, shown by code-scanning tools next to the rule id. */
const RULE_DESCRIPTIONS: Record<DiagnosticCode, Localized> = {
  "yaml.syntax": { en: "The YAML does not parse.", "zh-cn": "YAML 无法解析。" },
  "schema.unknown-key": { en: "A key the policy format does not know.", "zh-cn": "策略格式不认识的键。" },
  "schema.type": { en: "A value of the wrong type.", "zh-cn": "值的类型错误。" },
  "schema.required": { en: "A required key is missing.", "zh-cn": "缺少必需的键。" },
  "schema.version": { en: "Unsupported policy format version.", "zh-cn": "不支持的策略格式版本。" },
  "port.unknown-service": { en: "A service name not in the port catalog.", "zh-cn": "端口目录中没有的服务名。" },
  "port.range": { en: "A port outside 1..65535, or a reversed range.", "zh-cn": "端口超出 1..65535，或范围颠倒。" },
  "port.protocol-mismatch": {
    en: "A port used with a transport its service does not use.",
    "zh-cn": "端口使用了其服务不使用的传输协议。",
  },
  "source.undefined": { en: "An address name not defined in sources.", "zh-cn": "sources 中未定义的地址名。" },
  "source.invalid": { en: "Not an IP address or CIDR.", "zh-cn": "不是 IP 地址或 CIDR。" },
  "source.host-bits": { en: "A CIDR with host bits set.", "zh-cn": "CIDR 的主机位不为零。" },
  "security.plaintext-access": {
    en: "Plaintext POP3/IMAP open inbound (RFC 8314).",
    "zh-cn": "入方向开放了明文 POP3/IMAP（RFC 8314）。",
  },
  "security.plaintext-http": { en: "HTTP open without HTTPS.", "zh-cn": "开放了 HTTP 却未开放 HTTPS。" },
  "security.admin-exposed": {
    en: "An administration or monitoring port open to any address.",
    "zh-cn": "管理或监控端口对任意地址开放。",
  },
  "security.default-accept": { en: "Inbound default accept.", "zh-cn": "入方向默认接受。" },
  "security.lockout": {
    en: "No rule allows SSH: you may lock yourself out.",
    "zh-cn": "没有规则允许 SSH：可能把自己锁在外面。",
  },
  "security.outbound-smtp-blocked": {
    en: "Outbound port 25 is blocked by the cloud provider by default.",
    "zh-cn": "云平台默认封禁出方向 25 端口。",
  },
  "rule.duplicate": { en: "The same match as an earlier rule.", "zh-cn": "与前面的规则匹配条件相同。" },
  "rule.shadowed": { en: "A rule that an earlier rule always covers.", "zh-cn": "被前面的规则完全覆盖的规则。" },
  "rule.expired": { en: "A rule past its expires date.", "zh-cn": "已过 expires 日期的规则。" },
  "target.unsupported": { en: "A target cannot express a rule exactly.", "zh-cn": "目标无法精确表达某条规则。" },
  "target.limit": { en: "Over a provider's rule quota.", "zh-cn": "超出云平台的规则配额。" },
  "target.description": { en: "A note changed to fit a target.", "zh-cn": "备注为适应目标而被修改。" },
};

/** A file name as a SARIF URI: relative paths stay relative (to the repository root), absolute ones become file URLs. */
export function artifactUri(file: string): string {
  const slashed = file.replace(/\\/g, "/");
  if (/^(\/|[A-Za-z]:\/)/.test(slashed)) return pathToFileURL(file).href;
  return slashed
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/** Builds the SARIF log for the checked files. */
export function toSarif(files: readonly FileDiagnostics[], version: string, lang: Lang): object {
  const ruleIndex = new Map(DIAGNOSTIC_CODES.map((code, i) => [code as string, i]));
  const rules = DIAGNOSTIC_CODES.map((code) => ({
    id: code,
    shortDescription: { text: RULE_DESCRIPTIONS[code][lang] },
    defaultConfiguration: { level: sarifLevel(DEFAULT_SEVERITY[code]) },
  }));
  const results = files.flatMap(({ file, lines, diagnostics }) =>
    diagnostics.map((d) => {
      const { line, column, endLine, endColumn } = diagnosticLocation(lines, d.range);
      const artifactLocation = { uri: artifactUri(file) };
      const region = { startLine: line, startColumn: column, endLine, endColumn };
      return {
        ruleId: d.code,
        ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code) } : {}),
        level: sarifLevel(d.severity),
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation, region } }],
        ...(d.suggestion === undefined
          ? {}
          : {
              fixes: [
                {
                  artifactChanges: [
                    {
                      artifactLocation,
                      replacements: [{ deletedRegion: region, insertedContent: { text: d.suggestion } }],
                    },
                  ],
                },
              ],
            }),
      };
    }),
  );
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mailpolicy",
            version,
            rules,
          },
        },
        columnKind: "utf16CodeUnits",
        language: lang === "zh-cn" ? "zh-CN" : "en-US",
        results,
      },
    ],
  };
}
