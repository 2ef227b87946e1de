/**
 * Starting points for `mailpolicy.newPolicy`. Pure: each template is YAML lines
 * shared by both languages plus comment lines in English and Simplified Chinese.
 * Facts (ports, host names, provider blocks) follow the verified port reference.
 */
import type { Lang, Localized } from "../../core/model";

/** A line of a template: YAML as is, or a comment line per language. */
type TemplateLine = string | Localized;

export interface PolicyTemplate {
  readonly id: "mx-host" | "submission-imap-host" | "app-aliyun-mail";
  readonly label: Localized;
  readonly detail: Localized;
  readonly lines: readonly TemplateLine[];
}

const ADMINS: readonly TemplateLine[] = [
  "sources:",
  {
    en: "  admins: 203.0.113.0/24           # your administrators' network (replace this example range)",
    "zh-cn": "  admins: 203.0.113.0/24           # 管理员所在网络（请替换这个示例网段）",
  },
  "",
];

export const POLICY_TEMPLATES: readonly PolicyTemplate[] = [
  {
    id: "mx-host",
    label: { en: "MX host", "zh-cn": "MX 主机" },
    detail: {
      en: "Receives mail for your domains from other servers on port 25",
      "zh-cn": "在 25 端口接收其他服务器投递给本域的邮件",
    },
    lines: [
      {
        en: "# An MX host: other mail servers deliver to it on port 25.",
        "zh-cn": "# MX 主机：其他邮件服务器通过 25 端口向它投递邮件。",
      },
      {
        en: "# It also sends on port 25. Alibaba Cloud ECS and AWS EC2 block outbound 25 by default:",
        "zh-cn": "# 它也通过 25 端口外发。阿里云 ECS 和 AWS EC2 默认封禁出方向 25 端口：",
      },
      {
        en: "# ask the provider to lift the block, or relay through a smarthost on 465.",
        "zh-cn": "# 请向云厂商申请解封，或经由 465 端口的中继（smarthost）发送。",
      },
      "mailpolicy: 1",
      "name: mx.example.com",
      "",
      ...ADMINS,
      "inbound:",
      "  default: drop",
      "  rules:",
      {
        en: "    - allow: smtp                   # 25/tcp, opportunistic STARTTLS (RFC 5321, RFC 3207)",
        "zh-cn": "    - allow: smtp                   # 25/tcp，机会性 STARTTLS（RFC 5321、RFC 3207）",
      },
      "      from: any",
      "    - allow: ssh",
      "      from: admins",
      "",
      "outbound:",
      "  default: accept",
      "",
      "targets:",
      "  iptables:",
      "    ipv6: true",
      "  # aliyun:",
      "  #   regionId: cn-hangzhou",
      "  #   securityGroupId: sg-...",
      "  # aws:",
      "  #   groupId: sg-...",
    ],
  },
  {
    id: "submission-imap-host",
    label: { en: "Submission and IMAP host", "zh-cn": "提交与 IMAP 主机" },
    detail: {
      en: "Mail clients send on 465/587 and read on 993/995",
      "zh-cn": "邮件客户端通过 465/587 发信，通过 993/995 收信",
    },
    lines: [
      {
        en: "# A host that mail clients use directly: submission and mailbox access over TLS.",
        "zh-cn": "# 邮件客户端直接连接的主机：通过 TLS 提交邮件和访问邮箱。",
      },
      {
        en: "# Plaintext IMAP (143) and POP3 (110) stay closed, as RFC 8314 advises.",
        "zh-cn": "# 按 RFC 8314 的建议，明文 IMAP（143）和 POP3（110）保持关闭。",
      },
      "mailpolicy: 1",
      "name: mail.example.com",
      "",
      ...ADMINS,
      "inbound:",
      {
        en: "  default: reject                  # refuse at once instead of letting clients time out",
        "zh-cn": "  default: reject                  # 立即拒绝，而不是让客户端等到超时",
      },
      "  rules:",
      {
        en: "    - allow: [submissions, submission]   # 465 implicit TLS (preferred), 587 STARTTLS",
        "zh-cn": "    - allow: [submissions, submission]   # 465 隐式 TLS（推荐），587 STARTTLS",
      },
      "      from: any",
      {
        en: "    - allow: [imaps, pop3s]              # 993 IMAP over TLS, 995 POP3 over TLS",
        "zh-cn": "    - allow: [imaps, pop3s]              # 993 IMAP over TLS，995 POP3 over TLS",
      },
      "      from: any",
      "    - allow: ssh",
      "      from: admins",
      "",
      "targets:",
      "  iptables:",
      "    ipv6: true",
    ],
  },
  {
    id: "app-aliyun-mail",
    label: {
      en: "App server sending through Alibaba Cloud enterprise mail",
      "zh-cn": "通过阿里云企业邮箱发信的应用服务器",
    },
    detail: {
      en: "Sends via smtp.qiye.aliyun.com:465; ECS blocks outbound port 25",
      "zh-cn": "经 smtp.qiye.aliyun.com:465 发信；ECS 封禁出方向 25 端口",
    },
    lines: [
      {
        en: "# An application server on Alibaba Cloud ECS that sends mail through Alibaba Cloud",
        "zh-cn": "# 阿里云 ECS 上的应用服务器，通过阿里云企业邮箱发信：",
      },
      {
        en: "# enterprise mail: smtp.qiye.aliyun.com, port 465, implicit TLS. ECS blocks outbound",
        "zh-cn": "# smtp.qiye.aliyun.com，465 端口，隐式 TLS。ECS 默认封禁出方向 25 端口，",
      },
      {
        en: "# port 25 by default, so the policy refuses it too: a misconfigured mailer fails at once.",
        "zh-cn": "# 因此策略也拒绝 25 端口：配置错误的发信程序会立即失败，而不是一直挂起。",
      },
      "mailpolicy: 1",
      "name: app.example.cn",
      "",
      ...ADMINS,
      "inbound:",
      "  default: drop",
      "  rules:",
      "    - allow: https",
      "      from: any",
      "    - allow: ssh",
      "      from: admins",
      "",
      "outbound:",
      "  default: accept",
      "  rules:",
      {
        en: "    - allow: submissions                 # smtp.qiye.aliyun.com:465",
        "zh-cn": "    - allow: submissions                 # smtp.qiye.aliyun.com:465",
      },
      "      to: any",
      "    - reject: smtp",
      "      to: any",
      "      note: ECS blocks port 25; send through 465",
      "",
      "targets:",
      "  iptables:",
      "    ipv6: false",
      "  aliyun:",
      {
        en: "    regionId: cn-hangzhou            # your region",
        "zh-cn": "    regionId: cn-hangzhou            # 你的地域",
      },
      {
        en: "    securityGroupId: sg-bp1example   # your security group",
        "zh-cn": "    securityGroupId: sg-bp1example   # 你的安全组",
      },
      "    priority: 1",
    ],
  },
];

/** The template's text in one language, ending with a newline. */
export function renderTemplate(template: PolicyTemplate, lang: Lang): string {
  return `${template.lines.map((line) => (typeof line === "string" ? line : line[lang])).join("\n")}\n`;
}
