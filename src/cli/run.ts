/** Dispatches a command line to its verb and turns every failure into one line and an exit status. */
import { localize } from "../core/i18n";
import type { Lang } from "../core/model";
import { nearestName } from "../core/suggest";
import { CliError, detectLang, parseCommandLine, VERBS, type Verb } from "./args";
import { runCheck } from "./check";
import { runExplain } from "./explain";
import { runGenerate } from "./generate";
import { type CliIo, errorLine } from "./io";
import { MSG, USAGE, VERB_USAGE } from "./messages";
import { runPreview } from "./preview";

/**
 * Runs `mailpolicy` with `argv` (without node and the script) and returns the exit
 * status: 0 success, 1 the policy has errors, 2 bad usage, unreadable input or an
 * internal error. Never throws.
 */
export function run(argv: readonly string[], io: CliIo, version: string): number {
  let lang: Lang = "en";
  try {
    lang = detectLang(argv, io.env);
    const cmd = parseCommandLine(argv, io.env);
    if (cmd.version) {
      io.out(`${version}\n`);
      return 0;
    }
    if (cmd.verb === "help" || cmd.help) {
      const topic = cmd.verb === "help" ? cmd.args[0] : cmd.verb;
      if (topic !== undefined && !(VERBS as readonly string[]).includes(topic)) {
        throw new CliError(localize(lang, MSG.unknownCommand(topic, nearestName(topic, VERBS))));
      }
      io.out(localize(lang, topic === undefined ? USAGE : VERB_USAGE[topic as Verb]));
      return 0;
    }
    switch (cmd.verb) {
      case undefined:
        io.err(errorLine(localize(lang, MSG.noCommand())));
        io.err(`\n${localize(lang, USAGE)}`);
        return 2;
      case "check":
        return runCheck(cmd, io, version);
      case "generate":
        return runGenerate(cmd, io);
      case "preview":
        return runPreview(cmd, io);
      case "explain":
        return runExplain(cmd, io);
    }
  } catch (err) {
    if (err instanceof CliError) {
      io.err(errorLine(err.message));
      return err.exitCode;
    }
    const reason = err instanceof Error ? err.message : String(err);
    io.err(errorLine(localize(lang, MSG.internal(reason.split("\n")[0]))));
    if (io.env.MAILPOLICY_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return 2;
  }
}
