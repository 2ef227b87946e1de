/** `mailpolicy generate FILE --target T [--out DIR]`: one target to stdout, or files written atomically. */
import { configuredTargets, outputFor } from "../core/check";
import type { PolicyDiagnostic } from "../core/diagnostics";
import { toPrintable } from "../core/format";
import { localize } from "../core/i18n";
import { CliError, type CommandLine } from "./args";
import { type CheckedFile, checkFile, printDiagnostics } from "./check";
import { writeFilesAtomically } from "./files";
import { type CliIo, errorLine } from "./io";
import { MSG } from "./messages";

/** Drops repeats (the check and a generator may report the same target finding). */
export function uniqueDiagnostics(diagnostics: readonly PolicyDiagnostic[]): PolicyDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.range.start}:${d.range.end}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Prints the errors of a policy that has any, with a closing line saying what was
 * refused, to standard error. Returns whether there were errors.
 */
export function refuseOnErrors(
  checked: CheckedFile,
  extra: readonly PolicyDiagnostic[],
  io: CliIo,
  refusal: (file: string, count: number) => string,
): boolean {
  const errors = [...checked.diagnostics, ...extra].filter((d) => d.severity === "error");
  if (errors.length === 0) return false;
  printDiagnostics(io.err, checked, uniqueDiagnostics(errors));
  io.err(errorLine(refusal(checked.file, errors.length)));
  return true;
}

/** Runs `generate`. Exit status 0 written, 1 refused (the policy has errors), 2 usage or I/O. */
export function runGenerate(cmd: CommandLine, io: CliIo): number {
  const lang = cmd.lang;
  if (cmd.args.length !== 1) throw new CliError(localize(lang, MSG.needOneFile("generate")));
  if (cmd.target === undefined) throw new CliError(localize(lang, MSG.needTarget()));
  if (cmd.target === "all" && cmd.out === undefined) throw new CliError(localize(lang, MSG.allNeedsOut()));
  const checked = checkFile(cmd.args[0], cmd);
  const refusal = (file: string, count: number) => localize(lang, MSG.refuseErrors(file, count));
  if (refuseOnErrors(checked, [], io, refusal)) return 1;

  const policy = checked.result.policy;
  const targets = cmd.target === "all" ? configuredTargets(policy) : [cmd.target];
  if (targets.length === 0) throw new CliError(localize(lang, MSG.noTargets(checked.file)), 1);
  const outputs = targets.map((t) => outputFor(checked.result, t, lang));
  const findings = uniqueDiagnostics(outputs.flatMap((o) => o.diagnostics));
  if (refuseOnErrors(checked, findings, io, refusal)) return 1;
  printDiagnostics(
    io.err,
    checked,
    findings.filter((d) => d.severity !== "hint"),
  );

  if (cmd.out === undefined) {
    io.out(outputs[0].text);
    return 0;
  }
  const written = writeFilesAtomically(
    cmd.out,
    outputs.map((o) => ({ name: o.fileName, text: o.text })),
    lang,
  );
  for (const path of written) io.out(`${toPrintable(localize(lang, MSG.wrote(path)))}\n`);
  return 0;
}
