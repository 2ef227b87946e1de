/** `mailpolicy check FILE...`: diagnostics as text, JSON or SARIF. */
import { checkPolicy } from "../core/check";
import type { PolicyDiagnostic } from "../core/diagnostics";
import { type FileDiagnostics, formatDiagnosticText, toJsonReport } from "../core/format";
import { localize } from "../core/i18n";
import { LineIndex } from "../core/lines";
import { CliError, type CommandLine } from "./args";
import { readPolicyFile, STDIN_NAME } from "./files";
import { type CliIo, errorLine } from "./io";
import { MSG } from "./messages";
import { toSarif } from "./sarif";

/** A policy file read and checked. */
export interface CheckedFile extends FileDiagnostics {
  readonly text: string;
  readonly result: ReturnType<typeof checkPolicy>;
}

/** Reads and checks one file; throws {@link CliError} when it cannot be read. */
export function checkFile(file: string, cmd: CommandLine): CheckedFile {
  const text = readPolicyFile(file, cmd.lang);
  const result = checkPolicy(text, { lang: cmd.lang });
  return {
    file: file === "-" ? STDIN_NAME : file,
    text,
    lines: new LineIndex(text),
    diagnostics: result.diagnostics,
    result,
  };
}

/** Prints diagnostics, one `file:line:col severity code message` line each. */
export function printDiagnostics(
  write: (text: string) => void,
  file: Pick<FileDiagnostics, "file" | "lines">,
  diagnostics: readonly PolicyDiagnostic[],
): void {
  for (const d of diagnostics) write(`${formatDiagnosticText(file.file, file.lines, d)}\n`);
}

/**
 * Runs `check`. Exit status: 2 when any file could not be read (the others are still
 * reported), else 1 when any has errors, else 0.
 */
export function runCheck(cmd: CommandLine, io: CliIo, version: string): number {
  if (cmd.args.length === 0) throw new CliError(localize(cmd.lang, MSG.needFiles()));
  const checked: CheckedFile[] = [];
  let unreadable = false;
  for (const file of cmd.args) {
    try {
      checked.push(checkFile(file, cmd));
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      io.err(errorLine(err.message));
      unreadable = true;
    }
  }
  if (cmd.format === "json") io.out(`${JSON.stringify(toJsonReport(checked), null, 2)}\n`);
  else if (cmd.format === "sarif") io.out(`${JSON.stringify(toSarif(checked, version, cmd.lang), null, 2)}\n`);
  else for (const file of checked) printDiagnostics(io.out, file, file.diagnostics);
  if (unreadable) return 2;
  return checked.some((f) => f.result.hasErrors) ? 1 : 0;
}
