/** `mailpolicy preview FILE`: iptables-save and the security group side by side in the terminal. */
import { configuredTargets, outputFor } from "../core/check";
import { type Column, displayWidth, renderSideBySide } from "../core/format";
import type { GeneratedOutput } from "../core/generate/index";
import { localize } from "../core/i18n";
import type { Lang, Policy } from "../core/model";
import { CliError, type Cloud, type CommandLine } from "./args";
import { checkFile, printDiagnostics } from "./check";
import { refuseOnErrors, uniqueDiagnostics } from "./generate";
import type { CliIo } from "./io";
import { MSG } from "./messages";

/** Width used when standard output is not a terminal and no `--width` is given. */
export const DEFAULT_WIDTH = 120;

/** The cloud to show: the one asked for, else the one configured (Alibaba Cloud first), else Alibaba Cloud. */
export function previewCloud(policy: Policy, asked: Cloud | undefined): Cloud {
  if (asked) return asked;
  if (policy.targets.aliyun) return "aliyun";
  if (policy.targets.aws) return "aws";
  return "aliyun";
}

function outputLines(output: GeneratedOutput): string[] {
  return output.text.replace(/\n$/, "").split("\n");
}

/** The left column: IPv4 rules, then the IPv6 rules under their own heading. */
export function iptablesColumn(v4: GeneratedOutput, v6: GeneratedOutput | undefined): Column {
  const lines = outputLines(v4);
  if (v6) {
    const heading = `ip6tables-save: ${v6.fileName}`;
    lines.push("", heading, "─".repeat(displayWidth(heading)), ...outputLines(v6));
  }
  return { title: `iptables-save: ${v4.fileName}`, lines };
}

/** The right column: the security group JSON. */
export function securityGroupColumn(output: GeneratedOutput, cloud: Cloud, lang: Lang): Column {
  const name = localize(lang, cloud === "aliyun" ? MSG.aliyunTitle() : MSG.awsTitle());
  return { title: `${name}: ${output.fileName}`, lines: outputLines(output) };
}

/** Runs `preview`. Exit status 0 shown, 1 the policy has errors, 2 usage or input. */
export function runPreview(cmd: CommandLine, io: CliIo): number {
  const lang = cmd.lang;
  if (cmd.args.length !== 1) throw new CliError(localize(lang, MSG.needOneFile("preview")));
  const checked = checkFile(cmd.args[0], cmd);
  const refusal = (file: string, count: number) => localize(lang, MSG.previewErrors(file, count));
  if (refuseOnErrors(checked, [], io, refusal)) return 1;

  const policy = checked.result.policy;
  const cloud = previewCloud(policy, cmd.cloud);
  const v4 = outputFor(checked.result, "iptables", lang);
  const v6 = configuredTargets(policy).includes("ip6tables") ? outputFor(checked.result, "ip6tables", lang) : undefined;
  const group = outputFor(checked.result, cloud, lang);
  const findings = uniqueDiagnostics([v4, v6, group].flatMap((o) => o?.diagnostics ?? []));
  if (refuseOnErrors(checked, findings, io, refusal)) return 1;

  const shown = uniqueDiagnostics([...checked.diagnostics, ...findings]).filter((d) => d.severity !== "hint");
  printDiagnostics(io.out, checked, shown);
  if (shown.length > 0) io.out("\n");
  const width = cmd.width ?? io.columns ?? DEFAULT_WIDTH;
  const rows = renderSideBySide(iptablesColumn(v4, v6), securityGroupColumn(group, cloud, lang), width);
  io.out(`${rows.join("\n")}\n`);
  return 0;
}
