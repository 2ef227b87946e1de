/** `mailpolicy explain PORT|SERVICE`: a port's documentation as plain text. */
import { explainPort } from "../core/explain";
import { markdownToPlainText } from "../core/format";
import { localize } from "../core/i18n";
import { CliError, type CommandLine } from "./args";
import type { CliIo } from "./io";
import { MSG } from "./messages";

/** Runs `explain`. Exit status 0 explained, 2 no query or an unknown one. */
export function runExplain(cmd: CommandLine, io: CliIo): number {
  if (cmd.args.length !== 1) throw new CliError(localize(cmd.lang, MSG.needQuery()));
  const markdown = explainPort(cmd.args[0], cmd.lang);
  if (markdown === undefined) throw new CliError(localize(cmd.lang, MSG.unknownPort(cmd.args[0])));
  io.out(`${markdownToPlainText(markdown)}\n`);
  return 0;
}
