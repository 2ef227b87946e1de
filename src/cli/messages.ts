/**
 * Every text the `mailpolicy` command prints itself (usage, errors, progress), in
 * English and Simplified Chinese. Diagnostic messages come from the core.
 */
import type { Localized } from "../core/model";

/** Help for the whole command. */
export const USAGE: Localized = {
  en: `Usage: mailpolicy <command> [options]

Mail-server port policies: check them, generate iptables-save and cloud security
groups from them, preview both side by side, explain a port.

Commands:
  check FILE...                  print the diagnostics of policy files
  generate FILE --target T       print or write a target (iptables, ip6tables, aliyun, aws, all)
  preview FILE                   show iptables-save and the security group side by side
  explain PORT|SERVICE           print the documentation of a port (993, imaps, 514/udp)
  help [COMMAND]                 show help for a command

Options:
  --lang en|zh-cn                language of messages (default: from LC_ALL, LC_MESSAGES, LANG)
  -h, --help                     show help
  --version                      print the version

Exit status: 0 no errors, 1 the policy has errors, 2 bad usage or unreadable input.
`,
  "zh-cn": `用法：mailpolicy <命令> [选项]

邮件服务器端口策略：检查策略，由策略生成 iptables-save 与云安全组规则，
并排预览两者，解释端口。

命令：
  check 文件...                  输出策略文件的诊断信息
  generate 文件 --target 目标     输出或写入一个目标（iptables、ip6tables、aliyun、aws、all）
  preview 文件                   并排显示 iptables-save 与安全组规则
  explain 端口|服务               输出端口说明（993、imaps、514/udp）
  help [命令]                    显示某个命令的帮助

选项：
  --lang en|zh-cn                消息语言（默认取自 LC_ALL、LC_MESSAGES、LANG）
  -h, --help                     显示帮助
  --version                      输出版本号

退出码：0 无错误，1 策略有错误，2 用法错误或输入无法读取。
`,
};

/** Help for each command. */
export const VERB_USAGE: Record<"check" | "generate" | "preview" | "explain" | "help", Localized> = {
  check: {
    en: `Usage: mailpolicy check FILE... [--format text|json|sarif] [--lang en|zh-cn]

Prints the diagnostics of each policy file ("-" reads standard input).
  --format text    file:line:col severity code message (default)
  --format json    [{"file", "diagnostics": [{"code", "severity", "message",
                   "line", "column", "endLine", "endColumn"}]}], positions from 1
  --format sarif   SARIF 2.1.0, for code scanning

Exit status: 0 no errors, 1 errors, 2 bad usage or an unreadable file.
`,
    "zh-cn": `用法：mailpolicy check 文件... [--format text|json|sarif] [--lang en|zh-cn]

输出每个策略文件的诊断信息（"-" 表示读取标准输入）。
  --format text    文件:行:列 严重性 代码 消息（默认）
  --format json    [{"file", "diagnostics": [{"code", "severity", "message",
                   "line", "column", "endLine", "endColumn"}]}]，行列从 1 开始
  --format sarif   SARIF 2.1.0，用于代码扫描

退出码：0 无错误，1 有错误，2 用法错误或文件无法读取。
`,
  },
  generate: {
    en: `Usage: mailpolicy generate FILE --target iptables|ip6tables|aliyun|aws|all [--out DIR]

Prints one target to standard output, or writes it into DIR. "--target all" writes
every target the policy configures (rules.v4, rules.v6, aliyun-security-group.json,
aws-security-group.json) and needs --out. Files are replaced atomically; nothing is
written while the policy has errors (exit 1). Warnings go to standard error.
`,
    "zh-cn": `用法：mailpolicy generate 文件 --target iptables|ip6tables|aliyun|aws|all [--out 目录]

将一个目标输出到标准输出，或写入目录。"--target all" 写入策略配置的所有目标
（rules.v4、rules.v6、aliyun-security-group.json、aws-security-group.json），
必须同时指定 --out。文件以原子方式替换；策略有错误时不写入任何文件（退出码 1）。
警告输出到标准错误。
`,
  },
  preview: {
    en: `Usage: mailpolicy preview FILE [--cloud aliyun|aws] [--width N]

Shows iptables-save (IPv4, then IPv6 when configured) on the left and the security
group on the right, fitted to the terminal width (or N columns). The default cloud is
the one the policy configures (Alibaba Cloud first). Warnings are printed above;
with errors, only the errors are printed (exit 1).
`,
    "zh-cn": `用法：mailpolicy preview 文件 [--cloud aliyun|aws] [--width N]

左侧显示 iptables-save（IPv4，配置了 IPv6 时随后显示 IPv6），右侧显示安全组规则，
按终端宽度（或 N 列）排版。默认云平台为策略中配置的平台（优先阿里云）。
警告显示在上方；有错误时只输出错误（退出码 1）。
`,
  },
  explain: {
    en: `Usage: mailpolicy explain PORT|SERVICE [--lang en|zh-cn]

Prints what a port is for, its TLS mode, RFCs and advice. Examples:
  mailpolicy explain 993
  mailpolicy explain submissions
  mailpolicy explain 514/udp
`,
    "zh-cn": `用法：mailpolicy explain 端口|服务 [--lang en|zh-cn]

输出端口的用途、TLS 模式、相关 RFC 与建议。示例：
  mailpolicy explain 993
  mailpolicy explain submissions
  mailpolicy explain 514/udp
`,
  },
  help: {
    en: "Usage: mailpolicy help [check|generate|preview|explain]\n",
    "zh-cn": "用法：mailpolicy help [check|generate|preview|explain]\n",
  },
};

const q = (s: string) => JSON.stringify(s);

/** Error and progress texts; each says what to do next. */
export const MSG = {
  noCommand: (): Localized => ({
    en: `no command given; run "mailpolicy --help" for the commands`,
    "zh-cn": `未指定命令；运行 "mailpolicy --help" 查看可用命令`,
  }),
  unknownCommand: (verb: string, nearest?: string): Localized =>
    nearest
      ? {
          en: `unknown command ${q(verb)}; did you mean ${q(nearest)}?`,
          "zh-cn": `未知命令 ${q(verb)}；是否想输入 ${q(nearest)}？`,
        }
      : {
          en: `unknown command ${q(verb)}; the commands are check, generate, preview, explain and help`,
          "zh-cn": `未知命令 ${q(verb)}；可用命令为 check、generate、preview、explain 和 help`,
        },
  unknownOption: (option: string, help: string, nearest?: string): Localized =>
    nearest
      ? {
          en: `unknown option ${option}; did you mean ${nearest}?`,
          "zh-cn": `未知选项 ${option}；是否想输入 ${nearest}？`,
        }
      : {
          en: `unknown option ${option}; run "${help}" for the options`,
          "zh-cn": `未知选项 ${option}；运行 "${help}" 查看可用选项`,
        },
  optionNotForVerb: (option: string, verb: string): Localized => ({
    en: `option ${option} does not apply to "${verb}"; run "mailpolicy help ${verb}" for its options`,
    "zh-cn": `选项 ${option} 不适用于 "${verb}"；运行 "mailpolicy help ${verb}" 查看其选项`,
  }),
  missingValue: (option: string): Localized => ({
    en: `option ${option} needs a value, as in ${option}=VALUE`,
    "zh-cn": `选项 ${option} 需要一个值，例如 ${option}=值`,
  }),
  badValue: (option: string, value: string, allowed: readonly string[]): Localized => ({
    en: `${option} ${q(value)} is not valid; use one of: ${allowed.join(", ")}`,
    "zh-cn": `${option} 的值 ${q(value)} 无效；可用值：${allowed.join("、")}`,
  }),
  badWidth: (value: string): Localized => ({
    en: `--width ${q(value)} is not valid; give a number of columns, at least 40`,
    "zh-cn": `--width 的值 ${q(value)} 无效；请给出列数，至少 40`,
  }),
  noValueTaken: (option: string, help: string): Localized => ({
    en: `option ${option} takes no value; run "${help}" for the usage`,
    "zh-cn": `选项 ${option} 不接受值；运行 "${help}" 查看用法`,
  }),
  tooManyArgs: (extra: string, help: string): Localized => ({
    en: `unexpected argument ${q(extra)}; run "${help}" for the usage`,
    "zh-cn": `多余的参数 ${q(extra)}；运行 "${help}" 查看用法`,
  }),
  needFiles: (): Localized => ({ en: "check needs at least one FILE", "zh-cn": "check 至少需要一个文件" }),
  needOneFile: (verb: string): Localized => ({
    en: `${verb} needs exactly one FILE`,
    "zh-cn": `${verb} 需要且只需要一个文件`,
  }),
  needTarget: (): Localized => ({
    en: "generate needs --target iptables|ip6tables|aliyun|aws|all",
    "zh-cn": "generate 需要 --target iptables|ip6tables|aliyun|aws|all",
  }),
  allNeedsOut: (): Localized => ({
    en: `--target all writes several files: add --out DIR`,
    "zh-cn": `--target all 会写入多个文件：请加上 --out 目录`,
  }),
  needQuery: (): Localized => ({
    en: "explain needs one PORT or SERVICE, such as 993 or imaps",
    "zh-cn": "explain 需要一个端口或服务，例如 993 或 imaps",
  }),
  unknownPort: (query: string): Localized => ({
    en: `no documentation for ${q(query)}; give a port number (993, 514/udp) or a service name (imaps)`,
    "zh-cn": `没有 ${q(query)} 的说明；请给出端口号（993、514/udp）或服务名（imaps）`,
  }),
  noSuchFile: (file: string): Localized => ({
    en: `cannot read ${file}: no such file; check the path`,
    "zh-cn": `无法读取 ${file}：文件不存在，请检查路径`,
  }),
  isDirectory: (file: string): Localized => ({
    en: `cannot read ${file}: it is a directory; give a policy file such as mx1.mailpolicy.yaml`,
    "zh-cn": `无法读取 ${file}：这是一个目录；请给出策略文件，例如 mx1.mailpolicy.yaml`,
  }),
  notRegular: (file: string): Localized => ({
    en: `cannot read ${file}: not a regular file; give a policy file`,
    "zh-cn": `无法读取 ${file}：不是普通文件；请给出策略文件`,
  }),
  noPermission: (file: string): Localized => ({
    en: `cannot read ${file}: permission denied; check the file's permissions`,
    "zh-cn": `无法读取 ${file}：权限不足；请检查文件权限`,
  }),
  tooLarge: (file: string, size: string, limit: string): Localized => ({
    en: `cannot read ${file}: it is ${size}, policy files are limited to ${limit}; is it the right file?`,
    "zh-cn": `无法读取 ${file}：文件大小 ${size}，策略文件上限为 ${limit}；请确认文件是否正确`,
  }),
  binary: (file: string): Localized => ({
    en: `cannot read ${file}: it is binary (it contains NUL bytes); give a YAML policy file`,
    "zh-cn": `无法读取 ${file}：这是二进制文件（含 NUL 字节）；请给出 YAML 策略文件`,
  }),
  utf16: (file: string): Localized => ({
    en: `cannot read ${file}: it is UTF-16; save it as UTF-8`,
    "zh-cn": `无法读取 ${file}：文件编码为 UTF-16；请另存为 UTF-8`,
  }),
  invalidUtf8: (file: string, line: number): Localized => ({
    en: `cannot read ${file}: invalid UTF-8 on line ${line}; save it as UTF-8`,
    "zh-cn": `无法读取 ${file}：第 ${line} 行不是有效的 UTF-8；请另存为 UTF-8`,
  }),
  readFailed: (file: string, reason: string): Localized => ({
    en: `cannot read ${file}: ${reason}`,
    "zh-cn": `无法读取 ${file}：${reason}`,
  }),
  refuseErrors: (file: string, count: number): Localized => ({
    en: `${file} has ${count} error${count === 1 ? "" : "s"}; nothing was generated. Fix them and run again`,
    "zh-cn": `${file} 有 ${count} 个错误，未生成任何内容。请修正后重试`,
  }),
  previewErrors: (file: string, count: number): Localized => ({
    en: `${file} has ${count} error${count === 1 ? "" : "s"}; fix them to see the preview`,
    "zh-cn": `${file} 有 ${count} 个错误；修正后才能预览`,
  }),
  noTargets: (file: string): Localized => ({
    en: `${file} configures no targets; add targets.iptables, targets.aliyun or targets.aws, or name one with --target`,
    "zh-cn": `${file} 未配置任何目标；请添加 targets.iptables、targets.aliyun 或 targets.aws，或用 --target 指定一个`,
  }),
  outNotDirectory: (dir: string): Localized => ({
    en: `cannot write into ${dir}: it is not a directory; give a directory to --out`,
    "zh-cn": `无法写入 ${dir}：不是目录；请为 --out 指定一个目录`,
  }),
  targetOccupied: (path: string): Localized => ({
    en: `cannot replace ${path}: it is not a regular file; move it away and run again (nothing was written)`,
    "zh-cn": `无法替换 ${path}：它不是普通文件；请移走后重试（未写入任何文件）`,
  }),
  writeFailed: (path: string, reason: string): Localized => ({
    en: `cannot write ${path}: ${reason}; no file was changed`,
    "zh-cn": `无法写入 ${path}：${reason}；没有文件被改动`,
  }),
  wrote: (path: string): Localized => ({ en: `wrote ${path}`, "zh-cn": `已写入 ${path}` }),
  internal: (reason: string): Localized => ({
    en: `internal error: ${reason}; please report it (set MAILPOLICY_DEBUG=1 for details)`,
    "zh-cn": `内部错误：${reason}；请报告此问题（设置 MAILPOLICY_DEBUG=1 查看详情）`,
  }),
  ipv6Title: (): Localized => ({ en: "IPv6", "zh-cn": "IPv6" }),
  aliyunTitle: (): Localized => ({ en: "Alibaba Cloud security group", "zh-cn": "阿里云安全组" }),
  awsTitle: (): Localized => ({ en: "AWS security group", "zh-cn": "AWS 安全组" }),
};
