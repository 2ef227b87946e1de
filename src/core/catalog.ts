/**
 * The port catalog: every service a policy can name, and the notable ports that
 * hovers and `explain` must describe although a policy cannot name them.
 *
 * Facts follow the IANA service-name registry and the RFCs cited per entry; the
 * advice corrects mistakes that popular port guides repeat (995 is POP3, not IMAP;
 * TLS 1.2 or later, never "SSL 3.0"; a client reaches 587/465 through OUTPUT `--dport`).
 */
import type { Localized, Protocol } from "./model";

/**
 * How a port uses TLS: from the first byte (`implicit-tls`), after an upgrade command
 * on a port that starts in cleartext (`starttls`), never (`plaintext`), or a protocol
 * with its own security that is not TLS (`not-tls`: SSH, IKE).
 */
export type TlsMode = "implicit-tls" | "starttls" | "plaintext" | "not-tls";

export interface PortEntry {
  /** The name used in policy files: `smtp`, `submissions`, `node-exporter`. */
  readonly key: string;
  /** Other accepted names (`smtps` for submissions). */
  readonly aliases: readonly string[];
  readonly port: number;
  /** Transports; the first is the default when the name is used without one. */
  readonly protocols: readonly Protocol[];
  /** The IANA registry's name for this port and transport, or null when it has none. */
  readonly ianaName: string | null;
  /** Other names the IANA registry lists for the same port and transport (465/tcp: `urd`). */
  readonly ianaAlso?: readonly string[];
  readonly tls: TlsMode;
  /** As `RFC 5321`. */
  readonly rfcs: readonly string[];
  readonly purpose: Localized;
  readonly advice: Localized;
  /** For plaintext access protocols: the implicit-TLS twin's key (pop3 -> pop3s). */
  readonly tlsTwin?: string;
  /** Administration and monitoring ports that must not be open to `any`. */
  readonly adminOnly: boolean;
}

/**
 * A port that users meet in guides, logs and iptables files but that a policy cannot
 * name by service: either not a catalog service at all (2525) or a transport on which
 * the port means something else than the catalog service (514/tcp is rsh, not syslog).
 */
export interface NotablePort {
  readonly port: number;
  readonly protocol: Protocol;
  /** The IANA registry's name for this port and transport, or null when it has none. */
  readonly ianaName: string | null;
  /** Absent when usage is not standardized. */
  readonly tls?: TlsMode;
  readonly rfcs: readonly string[];
  readonly purpose: Localized;
  readonly advice: Localized;
}

function text(en: string, zh: string): Localized {
  return { en, "zh-cn": zh };
}

const TLS12 = text(
  "Accept TLS 1.2 or later only (RFC 8314); RFC 8996 deprecates TLS 1.0/1.1 and RFC 7568 prohibits SSLv3.",
  "只接受 TLS 1.2 及以上版本（RFC 8314）；RFC 8996 已弃用 TLS 1.0/1.1，RFC 7568 禁止使用 SSLv3。",
);

function withTls(advice: Localized): Localized {
  return text(`${advice.en} ${TLS12.en}`, `${advice["zh-cn"]}${TLS12["zh-cn"]}`);
}

/** Every service a policy can name, in the order of the spec's catalog. */
export const CATALOG: readonly PortEntry[] = [
  {
    key: "smtp",
    aliases: [],
    port: 25,
    protocols: ["tcp"],
    ianaName: "smtp",
    tls: "starttls",
    rfcs: ["RFC 5321", "RFC 3207", "RFC 8461", "RFC 7672"],
    purpose: text(
      "SMTP relay between mail servers (MTA to MTA): where other servers deliver mail for your domains (your MX).",
      "邮件服务器之间的 SMTP 中继（MTA 到 MTA）：其他服务器向你的域名（MX）投递邮件的端口。",
    ),
    advice: text(
      "Open inbound from any on an MX host; do not use it for client submission (use 465 or 587). STARTTLS on 25 is opportunistic; MTA-STS (RFC 8461) or DANE (RFC 7672) make it enforceable. RFC 8314 covers only client submission and access, so MTA-to-MTA port 25 is outside its scope. Alibaba Cloud ECS and AWS EC2 block outbound 25 by default: an app server that sends through a hosted service should use 465 (Alibaba Cloud enterprise mail: smtp.qiye.aliyun.com:465).",
      "MX 主机应对 any 开放入站；客户端提交邮件不要用 25（请用 465 或 587）。25 端口上的 STARTTLS 是机会性加密，MTA-STS（RFC 8461）或 DANE（RFC 7672）可使其强制生效。RFC 8314 只涉及客户端提交与收信，MTA 之间的 25 端口不在其范围内。阿里云 ECS 与 AWS EC2 默认封禁出方向 25 端口：通过托管邮件服务发信的应用服务器应改用 465（阿里云企业邮箱：smtp.qiye.aliyun.com:465）。",
    ),
    adminOnly: false,
  },
  {
    key: "submissions",
    aliases: ["smtps"],
    port: 465,
    protocols: ["tcp"],
    ianaName: "submissions",
    ianaAlso: ["urd"],
    tls: "implicit-tls",
    rfcs: ["RFC 8314"],
    purpose: text(
      "Message submission over implicit TLS: mail clients and applications send outgoing mail here, TLS from the first byte (RFC 8314 §7.3).",
      "隐式 TLS 的邮件提交：邮件客户端和应用程序经此发送外发邮件，连接从第一个字节起即为 TLS（RFC 8314 §7.3）。",
    ),
    advice: withTls(
      text(
        "The preferred submission port (RFC 8314). What mail clients and provider pages call 'SSL' here is implicit TLS. A client sending mail connects out to 465: allow it in `outbound` (iptables `-A OUTPUT -p tcp -m tcp --dport 465 -j ACCEPT` plus an ESTABLISHED accept). Alibaba Cloud enterprise mail: smtp.qiye.aliyun.com:465; use it from ECS, where outbound 25 is blocked.",
        "首选的邮件提交端口（RFC 8314）。邮件客户端和服务商页面在此处所说的“SSL”即隐式 TLS。发信客户端是向外连接 465：请在 `outbound` 中放行（iptables `-A OUTPUT -p tcp -m tcp --dport 465 -j ACCEPT`，另加 ESTABLISHED 放行规则）。阿里云企业邮箱：smtp.qiye.aliyun.com:465；ECS 默认封禁出方向 25 端口，应使用 465。",
      ),
    ),
    adminOnly: false,
  },
  {
    key: "submission",
    aliases: [],
    port: 587,
    protocols: ["tcp"],
    ianaName: "submission",
    tls: "starttls",
    rfcs: ["RFC 6409", "RFC 3207"],
    purpose: text(
      "Message submission (RFC 6409) with STARTTLS (RFC 3207): mail clients send outgoing mail here after upgrading the connection to TLS.",
      "邮件提交（RFC 6409），使用 STARTTLS（RFC 3207）：邮件客户端先将连接升级为 TLS，再经此发送外发邮件。",
    ),
    advice: withTls(
      text(
        "Require STARTTLS before AUTH. The port says nothing about cipher suites (DHE or not is a server setting). A client connects to 587, so the host rule is `-A OUTPUT -p tcp -m tcp --dport 587` plus an ESTABLISHED accept; `--sport 587` in OUTPUT matches a server's replies instead. RFC 8314 prefers implicit TLS on 465. Alibaba Cloud enterprise mail documents SMTP on 25, 80 and 465, not 587.",
        "要求先 STARTTLS 再 AUTH。端口与密码套件无关（是否使用 DHE 是服务器配置）。客户端是连接 587，因此主机规则应为 `-A OUTPUT -p tcp -m tcp --dport 587`，另加 ESTABLISHED 放行；OUTPUT 中的 `--sport 587` 匹配的是服务器发出的应答。RFC 8314 更推荐 465 的隐式 TLS。阿里云企业邮箱文档列出的 SMTP 端口是 25、80 和 465，没有 587。",
      ),
    ),
    adminOnly: false,
  },
  {
    key: "pop3",
    aliases: [],
    port: 110,
    protocols: ["tcp"],
    ianaName: "pop3",
    tls: "starttls",
    rfcs: ["RFC 1939", "RFC 2595"],
    purpose: text(
      "POP3 mail retrieval on a cleartext port; TLS only after the STLS command (RFC 2595).",
      "明文端口上的 POP3 收信；只有执行 STLS 命令（RFC 2595）后才加密。",
    ),
    advice: text(
      "RFC 8314 asks to deprecate cleartext access as soon as practicable: offer pop3s (995) instead, or limit 110 to a trusted network.",
      "RFC 8314 要求尽快弃用明文收信：请改用 pop3s（995），或仅向可信网络开放 110。",
    ),
    tlsTwin: "pop3s",
    adminOnly: false,
  },
  {
    key: "pop3s",
    aliases: [],
    port: 995,
    protocols: ["tcp"],
    ianaName: "pop3s",
    tls: "implicit-tls",
    rfcs: ["RFC 1939", "RFC 8314"],
    purpose: text(
      "POP3 over implicit TLS: mail retrieval by POP3 clients. It is not IMAP; IMAP over TLS is 993.",
      "隐式 TLS 上的 POP3：POP3 客户端收信。它不是 IMAP；IMAP over TLS 是 993。",
    ),
    advice: withTls(text("The right port for POP3 clients (RFC 8314).", "POP3 客户端应使用的端口（RFC 8314）。")),
    adminOnly: false,
  },
  {
    key: "imap",
    aliases: [],
    port: 143,
    protocols: ["tcp"],
    ianaName: "imap",
    tls: "starttls",
    rfcs: ["RFC 3501", "RFC 9051"],
    purpose: text(
      "IMAP mail access on a cleartext port; TLS only after STARTTLS.",
      "明文端口上的 IMAP 收信；只有执行 STARTTLS 后才加密。",
    ),
    advice: text(
      "RFC 8314 asks to deprecate cleartext access: offer imaps (993) instead, or limit 143 to a trusted network. Alibaba Cloud enterprise mail offers imap.qiye.aliyun.com on 993 (TLS) and 143 (plaintext): use 993.",
      "RFC 8314 要求弃用明文收信：请改用 imaps（993），或仅向可信网络开放 143。阿里云企业邮箱 imap.qiye.aliyun.com 提供 993（TLS）和 143（明文）：请使用 993。",
    ),
    tlsTwin: "imaps",
    adminOnly: false,
  },
  {
    key: "imaps",
    aliases: [],
    port: 993,
    protocols: ["tcp"],
    ianaName: "imaps",
    tls: "implicit-tls",
    rfcs: ["RFC 3501", "RFC 8314", "RFC 9051"],
    purpose: text(
      "IMAP over implicit TLS: mail clients read and manage mailboxes here.",
      "隐式 TLS 上的 IMAP：邮件客户端经此读取和管理邮箱。",
    ),
    advice: withTls(
      text(
        'The right port for IMAP clients (RFC 8314). Use the IMAP host, not the SMTP host: Alibaba Cloud enterprise mail is `imaplib.IMAP4_SSL("imap.qiye.aliyun.com", 993)`; smtp.aliyun.com is an SMTP host.',
        'IMAP 客户端应使用的端口（RFC 8314）。请连接 IMAP 主机而不是 SMTP 主机：阿里云企业邮箱为 `imaplib.IMAP4_SSL("imap.qiye.aliyun.com", 993)`；smtp.aliyun.com 是发信（SMTP）主机。',
      ),
    ),
    adminOnly: false,
  },
  {
    key: "http",
    aliases: [],
    port: 80,
    protocols: ["tcp"],
    ianaName: "http",
    ianaAlso: ["www", "www-http"],
    tls: "plaintext",
    rfcs: ["RFC 9110"],
    purpose: text("Cleartext HTTP.", "明文 HTTP。"),
    advice: text(
      "On a mail host, only for ACME HTTP-01 certificate challenges and redirects to HTTPS; serve webmail and MTA-STS on 443. Alibaba Cloud enterprise mail also accepts SMTP on 80 as a way around the blocked port 25, but prefer 465 with TLS.",
      "在邮件主机上仅用于 ACME HTTP-01 证书验证和跳转到 HTTPS；Webmail 和 MTA-STS 请放在 443。阿里云企业邮箱也在 80 端口接受 SMTP，用来绕开被封禁的 25 端口，但请优先使用带 TLS 的 465。",
    ),
    tlsTwin: "https",
    adminOnly: false,
  },
  {
    key: "https",
    aliases: [],
    port: 443,
    protocols: ["tcp"],
    ianaName: "https",
    tls: "implicit-tls",
    rfcs: ["RFC 9110"],
    purpose: text(
      "HTTP over TLS: webmail, admin web interfaces, and the MTA-STS policy file (RFC 8461).",
      "TLS 上的 HTTP：Webmail、Web 管理界面，以及 MTA-STS 策略文件（RFC 8461）。",
    ),
    advice: withTls(
      text(
        "The name `https` opens 443/tcp only. HTTP/3 (QUIC) runs on 443/udp: add `443/udp` when the web server speaks HTTP/3.",
        "名称 `https` 只开放 443/tcp。HTTP/3（QUIC）使用 443/udp：Web 服务器启用 HTTP/3 时请另加 `443/udp`。",
      ),
    ),
    adminOnly: false,
  },
  {
    key: "xmpp-client",
    aliases: [],
    port: 5222,
    protocols: ["tcp"],
    ianaName: "xmpp-client",
    tls: "starttls",
    rfcs: ["RFC 6120", "RFC 7590"],
    purpose: text(
      "XMPP (Jabber) client connections, upgraded with STARTTLS.",
      "XMPP（Jabber）客户端连接，通过 STARTTLS 升级加密。",
    ),
    advice: withTls(
      text(
        "Require TLS (RFC 7590). The legacy 'old SSL' port 5223 is deprecated and is not an IANA XMPP port.",
        "要求使用 TLS（RFC 7590）。旧式“old SSL”端口 5223 已弃用，也不是 IANA 登记的 XMPP 端口。",
      ),
    ),
    adminOnly: false,
  },
  {
    key: "xmpp-server",
    aliases: [],
    port: 5269,
    protocols: ["tcp"],
    ianaName: "xmpp-server",
    tls: "starttls",
    rfcs: ["RFC 6120"],
    purpose: text(
      "XMPP server-to-server federation, upgraded with STARTTLS.",
      "XMPP 服务器之间的联邦通信，通过 STARTTLS 升级加密。",
    ),
    advice: text(
      "Open to any only if the server federates with other domains.",
      "仅当服务器需要与其他域名互通时才对 any 开放。",
    ),
    adminOnly: false,
  },
  {
    key: "sieve",
    aliases: [],
    port: 4190,
    protocols: ["tcp"],
    ianaName: "sieve",
    tls: "starttls",
    rfcs: ["RFC 5804"],
    purpose: text(
      "ManageSieve: users upload mail filter scripts, logging in with their mail credentials.",
      "ManageSieve：用户上传邮件过滤脚本，使用邮箱账号登录。",
    ),
    advice: text(
      "Restrict to trusted networks (office, VPN); it exposes a password login.",
      "仅向可信网络（办公网、VPN）开放；它暴露了密码登录入口。",
    ),
    adminOnly: true,
  },
  {
    key: "lmtp",
    aliases: [],
    port: 24,
    protocols: ["tcp"],
    ianaName: null,
    tls: "plaintext",
    rfcs: ["RFC 2033"],
    purpose: text(
      "LMTP: local delivery from the MTA to the mailbox server. IANA has no service name for 24/tcp, only 'any private mail system'.",
      "LMTP：MTA 向邮箱服务器的本地投递。IANA 没有为 24/tcp 登记服务名，只写作“any private mail system”。",
    ),
    advice: text(
      "Internal only, usually without TLS: never open it to any.",
      "仅供内部使用，通常不加密：切勿对 any 开放。",
    ),
    adminOnly: true,
  },
  {
    key: "ssh",
    aliases: [],
    port: 22,
    protocols: ["tcp"],
    ianaName: "ssh",
    tls: "not-tls",
    rfcs: ["RFC 4251", "RFC 4252", "RFC 4253", "RFC 4254"],
    purpose: text(
      "Secure Shell: remote administration. It has its own encryption, not TLS.",
      "Secure Shell：远程管理。它有自己的加密协议，不是 TLS。",
    ),
    advice: text(
      "Allow only from administrators' networks. A default drop without an ssh rule locks you out.",
      "仅允许管理员网络访问。入站默认丢弃且没有 ssh 规则时，你会被锁在主机之外。",
    ),
    adminOnly: true,
  },
  {
    key: "syslog",
    aliases: [],
    port: 514,
    protocols: ["udp"],
    ianaName: "syslog",
    tls: "plaintext",
    rfcs: ["RFC 5424", "RFC 5426"],
    purpose: text("Syslog messages over UDP, in cleartext.", "经 UDP 传送的 syslog 日志，明文。"),
    advice: text(
      "Only from the hosts that send logs. 514/tcp is IANA `shell` (rsh), not syslog: for syslog over TCP use syslog-tls (6514).",
      "仅允许发送日志的主机访问。514/tcp 在 IANA 中是 `shell`（rsh），不是 syslog：TCP 上的 syslog 请使用 syslog-tls（6514）。",
    ),
    adminOnly: true,
  },
  {
    key: "syslog-tls",
    aliases: [],
    port: 6514,
    protocols: ["tcp"],
    ianaName: "syslog-tls",
    tls: "implicit-tls",
    rfcs: ["RFC 5425"],
    purpose: text("Syslog over TLS (RFC 5425).", "TLS 上的 syslog（RFC 5425）。"),
    advice: text(
      "Only from the hosts that send logs. The name opens 6514/tcp; 6514/udp is syslog over DTLS (RFC 6012).",
      "仅允许发送日志的主机访问。该名称开放 6514/tcp；6514/udp 是基于 DTLS 的 syslog（RFC 6012）。",
    ),
    adminOnly: true,
  },
  {
    key: "prometheus",
    aliases: [],
    port: 9090,
    protocols: ["tcp"],
    ianaName: "websm",
    tls: "plaintext",
    rfcs: [],
    purpose: text(
      "Prometheus server web UI and API (plain HTTP by default). IANA assigns 9090/tcp to `websm`; Cockpit also uses 9090.",
      "Prometheus 服务器的 Web 界面和 API（默认明文 HTTP）。IANA 将 9090/tcp 分配给 `websm`；Cockpit 也使用 9090。",
    ),
    advice: text("Allow only from the monitoring network.", "仅允许监控网络访问。"),
    adminOnly: true,
  },
  {
    key: "node-exporter",
    aliases: [],
    port: 9100,
    protocols: ["tcp"],
    ianaName: "pdl-datastream",
    ianaAlso: ["hp-pdl-datastr"],
    tls: "plaintext",
    rfcs: [],
    purpose: text(
      "Prometheus node_exporter host metrics (plain HTTP by default). IANA assigns 9100/tcp to printer data streams (`pdl-datastream`).",
      "Prometheus node_exporter 主机指标（默认明文 HTTP）。IANA 将 9100/tcp 分配给打印机数据流（`pdl-datastream`）。",
    ),
    advice: text(
      "Allow only from the Prometheus server; metrics reveal a lot about the host.",
      "仅允许 Prometheus 服务器访问；指标会暴露主机的大量信息。",
    ),
    adminOnly: true,
  },
  {
    key: "isakmp",
    aliases: [],
    port: 500,
    protocols: ["udp"],
    ianaName: "isakmp",
    tls: "not-tls",
    rfcs: ["RFC 7296"],
    purpose: text("IKE key exchange for IPsec VPNs.", "IPsec VPN 的 IKE 密钥交换。"),
    advice: text(
      "Only from the VPN peers. Without NAT traversal IPsec also needs ESP (IP protocol 50), which is not a port and cannot be written as a port rule.",
      "仅允许 VPN 对端访问。不使用 NAT 穿越时，IPsec 还需要 ESP（IP 协议号 50），它不是端口，无法写成端口规则。",
    ),
    adminOnly: false,
  },
  {
    key: "ipsec-nat-t",
    aliases: [],
    port: 4500,
    protocols: ["udp"],
    ianaName: "ipsec-nat-t",
    tls: "not-tls",
    rfcs: ["RFC 3948", "RFC 7296"],
    purpose: text(
      "IPsec NAT traversal: IKE and ESP encapsulated in UDP.",
      "IPsec NAT 穿越：封装在 UDP 中的 IKE 和 ESP。",
    ),
    advice: text(
      "Only from the VPN peers, together with isakmp (500/udp). The name opens 4500/udp; 4500/tcp is TCP encapsulation (RFC 9329).",
      "仅允许 VPN 对端访问，并同时开放 isakmp（500/udp）。该名称开放 4500/udp；4500/tcp 是 TCP 封装（RFC 9329）。",
    ),
    adminOnly: false,
  },
  {
    key: "dns",
    aliases: [],
    port: 53,
    protocols: ["udp", "tcp"],
    ianaName: "domain",
    tls: "plaintext",
    rfcs: ["RFC 1035", "RFC 7766"],
    purpose: text(
      "DNS over UDP and TCP (IANA name `domain`). A mail host needs outbound DNS for MX, SPF, DKIM, DMARC and DANE lookups.",
      "UDP 和 TCP 上的 DNS（IANA 名称 `domain`）。邮件主机需要出方向 DNS 来查询 MX、SPF、DKIM、DMARC 和 DANE 记录。",
    ),
    advice: text(
      "The name opens both udp and tcp: TCP is needed for large answers (RFC 7766). Open inbound only on a DNS server.",
      "该名称同时开放 udp 和 tcp：较大的应答需要 TCP（RFC 7766）。只有 DNS 服务器才需要开放入站。",
    ),
    adminOnly: false,
  },
  {
    key: "ntp",
    aliases: [],
    port: 123,
    protocols: ["udp"],
    ianaName: "ntp",
    tls: "plaintext",
    rfcs: ["RFC 5905"],
    purpose: text(
      "Network Time Protocol. Correct time matters for TLS certificate checks, DKIM signatures and logs.",
      "网络时间协议。准确的时间对 TLS 证书校验、DKIM 签名和日志都很重要。",
    ),
    advice: text(
      "Usually outbound only, to your time servers; open inbound only on a time server.",
      "通常只需出方向访问你的时间服务器；只有时间服务器才需要开放入站。",
    ),
    adminOnly: false,
  },
];

/**
 * Ports that hovers and `explain` describe but a policy cannot name by service.
 * Each holds for its one transport only, so 514/tcp (rsh) never claims syslog.
 */
export const NOTABLE_PORTS: readonly NotablePort[] = [
  {
    port: 514,
    protocol: "tcp",
    ianaName: "shell",
    tls: "plaintext",
    rfcs: [],
    purpose: text(
      "rsh (remote shell, IANA `shell`): unencrypted remote command execution. It is not syslog; syslog is 514/udp.",
      "rsh（远程 shell，IANA 名称 `shell`）：未加密的远程命令执行。它不是 syslog；syslog 是 514/udp。",
    ),
    advice: text(
      "Never open it. For syslog over TCP use syslog-tls (6514/tcp).",
      "切勿开放。TCP 上的 syslog 请使用 syslog-tls（6514/tcp）。",
    ),
  },
  {
    port: 2525,
    protocol: "tcp",
    ianaName: "ms-v-worlds",
    rfcs: [],
    purpose: text(
      "Unofficial alternative submission port offered by some mail services. IANA assigns 2525/tcp to `ms-v-worlds`, not to mail.",
      "部分邮件服务提供的非官方备用提交端口。IANA 将 2525/tcp 分配给 `ms-v-worlds`，并非邮件端口。",
    ),
    advice: text(
      "Not a standard: use submissions (465) or submission (587). Write `2525/tcp` only if your provider requires it.",
      "不是标准端口：请使用 submissions（465）或 submission（587）。仅当服务商要求时才写 `2525/tcp`。",
    ),
  },
  {
    port: 5223,
    protocol: "tcp",
    ianaName: "hpvirtgrp",
    tls: "implicit-tls",
    rfcs: [],
    purpose: text(
      "Legacy 'old SSL' XMPP client port (deprecated). IANA assigns 5223/tcp to `hpvirtgrp`, not to XMPP.",
      "旧式“old SSL”XMPP 客户端端口（已弃用）。IANA 将 5223/tcp 分配给 `hpvirtgrp`，并非 XMPP。",
    ),
    advice: text(
      "For XMPP clients use xmpp-client (5222) with STARTTLS.",
      "XMPP 客户端请使用 xmpp-client（5222）并启用 STARTTLS。",
    ),
  },
  {
    port: 5443,
    protocol: "tcp",
    ianaName: "spss",
    tls: "implicit-tls",
    rfcs: [],
    purpose: text(
      "Vendor-specific HTTPS. IANA assigns 5443/tcp to `spss` (Pearson HTTPS).",
      "厂商自定的 HTTPS。IANA 将 5443/tcp 分配给 `spss`（Pearson HTTPS）。",
    ),
    advice: text(
      "Open it only for a product that documents it; write `5443/tcp`.",
      "仅在某个产品的文档要求时开放；写作 `5443/tcp`。",
    ),
  },
];

const BY_NAME: ReadonlyMap<string, PortEntry> = new Map(
  CATALOG.flatMap((e) => [e.key, ...e.aliases].map((name) => [name, e] as const)),
);

/** Every name a policy may use (keys and aliases), sorted: for completion and near-miss suggestions. */
export const SERVICE_NAMES: readonly string[] = [...BY_NAME.keys()].sort();

/** The entry for a service name or alias. Case-sensitive: policy names are lower case. */
export function lookupService(name: string): PortEntry | undefined {
  return BY_NAME.get(name);
}

/** Catalog entries on a port, restricted to one transport when given. */
export function lookupPort(port: number, protocol?: Protocol): PortEntry[] {
  return CATALOG.filter((e) => e.port === port && (!protocol || e.protocols.includes(protocol)));
}

/** Notable non-catalog ports on a port, restricted to one transport when given. */
export function lookupNotable(port: number, protocol?: Protocol): NotablePort[] {
  return NOTABLE_PORTS.filter((n) => n.port === port && (!protocol || n.protocol === protocol));
}
