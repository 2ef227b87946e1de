/**
 * The command line: verbs, options and the UI language, parsed with node's
 * `util.parseArgs`. Every mistake becomes a {@link CliError} with one line that says
 * what to do, never a stack trace.
 */
import { parseArgs } from "node:util";
import { langFromLocale, localize } from "../core/i18n";
import type { Lang, Localized, TargetName } from "../core/model";
import { TARGET_NAMES } from "../core/model";
import { nearestName } from "../core/suggest";
import { MSG } from "./messages";

/** A failure to report as `mailpolicy: message` with an exit status (2: usage or input). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export const VERBS = ["check", "generate", "preview", "explain", "help"] as const;
export type Verb = (typeof VERBS)[number];
export const FORMATS = ["text", "json", "sarif"] as const;
export type OutputFormat = (typeof FORMATS)[number];
export const CLOUDS = ["aliyun", "aws"] as const;
export type Cloud = (typeof CLOUDS)[number];
export const LANGS: readonly Lang[] = ["en", "zh-cn"];
/** Narrowest and widest `--width` accepted. */
export const WIDTH_LIMITS = { min: 40, max: 1000 } as const;

export interface CommandLine {
  /** Undefined with only `--help` or `--version`. */
  readonly verb?: Verb;
  /** Arguments after the verb: files, or the port to explain, or the verb to help with. */
  readonly args: readonly string[];
  readonly lang: Lang;
  readonly help: boolean;
  readonly version: boolean;
  readonly format: OutputFormat;
  readonly target?: TargetName | "all";
  readonly out?: string;
  readonly cloud?: Cloud;
  readonly width?: number;
}

const OPTIONS = {
  format: { type: "string" },
  target: { type: "string" },
  out: { type: "string" },
  cloud: { type: "string" },
  width: { type: "string" },
  lang: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

type OptionName = keyof typeof OPTIONS;
const COMMON: readonly OptionName[] = ["lang", "help", "version"];
const VERB_OPTIONS: Record<Verb, readonly OptionName[]> = {
  check: ["format"],
  generate: ["target", "out"],
  preview: ["cloud", "width"],
  explain: [],
  help: [],
};

/** The environment variables that choose the language, in POSIX precedence. */
export type LocaleEnv = Readonly<Record<string, string | undefined>>;

/**
 * The UI language before the rest is parsed (so even argument errors are localized):
 * a valid `--lang`, else the first non-empty of LC_ALL, LC_MESSAGES, LANG.
 */
export function detectLang(argv: readonly string[], env: LocaleEnv): Lang {
  for (let i = 0; i < argv.length && argv[i] !== "--"; i++) {
    const value = argv[i] === "--lang" ? argv[i + 1] : argv[i].startsWith("--lang=") ? argv[i].slice(7) : undefined;
    const lang = value?.toLowerCase();
    if (lang === "en" || lang === "zh-cn") return lang;
  }
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== "");
  return langFromLocale(locale);
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[], lang: Lang): T {
  const found = allowed.find((a) => a === value.toLowerCase());
  if (found === undefined) throw new CliError(localize(lang, MSG.badValue(option, value, allowed)));
  return found;
}

/** `mailpolicy help VERB`, or the general help, for error hints. */
export function helpCommand(verb: string | undefined): string {
  return verb && (VERBS as readonly string[]).includes(verb) && verb !== "help"
    ? `mailpolicy help ${verb}`
    : "mailpolicy --help";
}

/** Translates node's parseArgs errors, which are English and multi-line, to one localized line. */
function parseError(err: unknown, verb: string | undefined, lang: Lang): CliError {
  const code = (err as { code?: string }).code;
  const message = String((err as Error).message ?? err);
  // "Option '-h, --help' ..." names the long form last.
  const option = /'(?:-[^-\s], )?(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
  const help = helpCommand(verb);
  let text: Localized;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const name = option.replace(/^--?/, "");
    // `--json` is a common guess for `--format json`.
    const typo = option.startsWith("--") ? nearestName(name, Object.keys(OPTIONS)) : undefined;
    const nearest = (FORMATS as readonly string[]).includes(name) ? `--format ${name}` : typo && `--${typo}`;
    text = MSG.unknownOption(option, help, nearest);
  } else if (/does not take an argument/.test(message)) text = MSG.noValueTaken(option, help);
  else if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") text = MSG.missingValue(option);
  else text = MSG.tooManyArgs(message.split("\n")[0], help);
  return new CliError(localize(lang, text));
}

function parseStrict(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
}

/** Parses `argv` (without node and the script). Throws {@link CliError} on bad usage. */
export function parseCommandLine(argv: readonly string[], env: LocaleEnv): CommandLine {
  const lang = detectLang(argv, env);
  const guessedVerb = argv.find((a) => (VERBS as readonly string[]).includes(a));
  let parsed: ReturnType<typeof parseStrict>;
  try {
    parsed = parseStrict(argv);
  } catch (err) {
    throw parseError(err, guessedVerb, lang);
  }
  const { values, positionals, tokens } = parsed;
  if (values.lang !== undefined) oneOf("--lang", values.lang, LANGS, lang);
  const [first, ...args] = positionals;
  let verb: Verb | undefined;
  if (first !== undefined) {
    if (!(VERBS as readonly string[]).includes(first)) {
      throw new CliError(localize(lang, MSG.unknownCommand(first, nearestName(first, VERBS))));
    }
    verb = first as Verb;
  }
  const base = { verb, args, lang, help: values.help === true, version: values.version === true };
  if (verb === undefined || base.help || base.version) return { ...base, format: "text" };

  // An option meant for another verb is a mistake worth naming, not something to ignore.
  const allowed = new Set<string>([...COMMON, ...VERB_OPTIONS[verb]]);
  for (const token of tokens) {
    if (token.kind === "option" && !allowed.has(token.name)) {
      throw new CliError(localize(lang, MSG.optionNotForVerb(token.rawName, verb)));
    }
  }
  const format = values.format === undefined ? "text" : oneOf("--format", values.format, FORMATS, lang);
  const target =
    values.target === undefined ? undefined : oneOf("--target", values.target, [...TARGET_NAMES, "all"] as const, lang);
  const cloud = values.cloud === undefined ? undefined : oneOf("--cloud", values.cloud, CLOUDS, lang);
  let width: number | undefined;
  if (values.width !== undefined) {
    width = /^\d{1,6}$/.test(values.width) ? Number(values.width) : Number.NaN;
    if (!(width >= WIDTH_LIMITS.min && width <= WIDTH_LIMITS.max)) {
      throw new CliError(localize(lang, MSG.badWidth(values.width)));
    }
  }
  if (values.out === "") throw new CliError(localize(lang, MSG.missingValue("--out")));
  return { ...base, format, target, out: values.out, cloud, width };
}
