/**
 * A two-host test network: a "server" namespace that loads the generated rules
 * and a "client" namespace, joined by a veth pair. Names carry the process id
 * and a counter, so parallel runs never collide, and every namespace is deleted
 * on destroy() and, as a last resort, when the process exits.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { parseAddress } from "../../../src/core/addresses";
import type { Family } from "../../support/kernel";

const AGENT = path.join(__dirname, "agent.mjs");

/**
 * The link between the two namespaces, a /31 (no broadcast address to trip
 * over) in the IETF protocol-assignment block, which policies do not name.
 * Policy addresses are put on the client as /32 and /128 hosts and routed over it.
 */
export const LINK = {
  server: { 4: "192.0.0.8", 6: "fdff:6d70:6d70::1" },
  client: { 4: "192.0.0.9", 6: "fdff:6d70:6d70::2" },
} as const;

export type Side = "server" | "client";

export interface Probe {
  readonly protocol: "tcp" | "udp";
  /** Local address to connect from. */
  readonly from: string;
  /** Address to connect to. */
  readonly to: string;
  readonly port: number;
}

const live = new Set<string>();
let counter = 0;

function cleanupAll(): void {
  for (const ns of live) spawnSync("ip", ["netns", "del", ns]);
  live.clear();
}
process.on("exit", cleanupAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanupAll();
    process.exit(130);
  });
}

function run(args: string[], input?: string): string {
  const r = spawnSync(args[0], args.slice(1), { input, encoding: "utf8", timeout: 20_000 });
  if (r.status !== 0) {
    throw new Error(`${args.join(" ")} failed (${r.status}): ${(r.stderr || String(r.error ?? "")).trim()}`);
  }
  return r.stdout;
}

/** An address the kernel accepts as a unicast host on a veth: no loopback, multicast, link-local or unspecified. */
export function isUsableHost(address: string): boolean {
  const a = parseAddress(address);
  if (!a) return false;
  if (address === LINK.server[4] || address === LINK.server[6]) return false;
  if (a.family === 4) {
    const first = Number(a.value >> 24n);
    return first >= 1 && first <= 223 && first !== 127;
  }
  const top = Number(a.value >> 112n);
  // Global unicast 2000::/3 or unique local fc00::/7.
  return (top >= 0x2000 && top <= 0x3fff) || (top >= 0xfc00 && top <= 0xfdff);
}

export class TestNet {
  readonly server: string;
  readonly client: string;
  private readonly serverIf: string;
  private readonly clientIf: string;
  private readonly children = new Set<ChildProcess>();
  private readonly added = new Set<string>();

  private constructor() {
    const id = `${process.pid}x${counter++}`;
    this.server = `mps${id}`;
    this.client = `mpc${id}`;
    this.serverIf = `mps${id}`.slice(0, 15);
    this.clientIf = `mpc${id}`.slice(0, 15);
  }

  /** Creates both namespaces and the link; on any failure, deletes what it made. */
  static create(): TestNet {
    const net = new TestNet();
    try {
      net.setUp();
    } catch (err) {
      net.destroy();
      throw err;
    }
    return net;
  }

  private setUp(): void {
    for (const ns of [this.server, this.client]) {
      run(["ip", "netns", "add", ns]);
      live.add(ns);
    }
    run(["ip", "link", "add", this.serverIf, "type", "veth", "peer", "name", this.clientIf]);
    run(["ip", "link", "set", this.serverIf, "netns", this.server]);
    run(["ip", "link", "set", this.clientIf, "netns", this.client]);
    const sides = [
      [this.server, this.serverIf, LINK.server],
      [this.client, this.clientIf, LINK.client],
    ] as const;
    for (const [ns, dev, addr] of sides) {
      run(
        ["ip", "-n", ns, "-batch", "-"],
        [
          "link set lo up",
          `link set ${dev} up`,
          `addr add ${addr[4]}/31 dev ${dev}`,
          `addr add ${addr[6]}/64 dev ${dev} nodad`,
        ].join("\n"),
      );
      // REJECT answers through ICMP, which the kernel rate-limits per peer: a
      // burst of parallel probes would otherwise see "reject" turn into "drop".
      spawnSync("ip", [
        "netns",
        "exec",
        ns,
        "sysctl",
        "-q",
        "-w",
        "net.ipv4.icmp_ratelimit=0",
        "net.ipv6.icmp.ratelimit=0",
        "net.ipv4.icmp_msgs_per_sec=100000",
        "net.ipv4.icmp_msgs_burst=100000",
      ]);
    }
    // Static neighbours: no ARP/NDP traffic, so rules without the NDP baseline still leave the link usable.
    const mac = (ns: string, dev: string) =>
      (JSON.parse(run(["ip", "-n", ns, "-j", "link", "show", "dev", dev])) as { address: string }[])[0].address;
    const serverMac = mac(this.server, this.serverIf);
    const clientMac = mac(this.client, this.clientIf);
    for (const family of [4, 6] as const) {
      run([
        "ip",
        "-n",
        this.server,
        "neigh",
        "replace",
        LINK.client[family],
        "lladdr",
        clientMac,
        "dev",
        this.serverIf,
      ]);
      run([
        "ip",
        "-n",
        this.client,
        "neigh",
        "replace",
        LINK.server[family],
        "lladdr",
        serverMac,
        "dev",
        this.clientIf,
      ]);
    }
  }

  /** Puts host addresses on the client's veth and routes them back from the server. */
  addClientAddresses(addresses: readonly string[]): void {
    const clientCmds: string[] = [];
    const serverCmds: string[] = [];
    for (const a of addresses) {
      if (this.added.has(a) || a === LINK.client[4] || a === LINK.client[6]) continue;
      if (!isUsableHost(a)) throw new Error(`not a usable test host address: ${a}`);
      this.added.add(a);
      const v6 = a.includes(":");
      clientCmds.push(`addr add ${a}/${v6 ? 128 : 32} dev ${this.clientIf}${v6 ? " nodad" : ""}`);
      serverCmds.push(`route add ${a}/${v6 ? 128 : 32} via ${LINK.client[v6 ? 6 : 4]}`);
    }
    if (clientCmds.length === 0) return;
    run(["ip", "-n", this.client, "-batch", "-"], clientCmds.join("\n"));
    run(["ip", "-n", this.server, "-batch", "-"], serverCmds.join("\n"));
  }

  /** Loads an iptables-save text into one side; throws with the kernel's message when it is refused. */
  loadRules(side: Side, family: Family, rules: string): void {
    run(["ip", "netns", "exec", this.ns(side), family === 4 ? "iptables-restore" : "ip6tables-restore"], rules);
  }

  /** What iptables-save prints on one side. */
  saveRules(side: Side, family: Family): string {
    return run(["ip", "netns", "exec", this.ns(side), family === 4 ? "iptables-save" : "ip6tables-save"]);
  }

  /**
   * Starts TCP and UDP listeners (dual stack) on one side; resolves once all are bound.
   * `udpHosts` are extra [address, port] UDP sockets for a side with several addresses.
   */
  async listen(
    side: Side,
    tcp: readonly number[],
    udp: readonly number[],
    udpHosts: readonly (readonly [string, number])[] = [],
  ): Promise<void> {
    const config = JSON.stringify({ tcp, udp, udpHosts });
    const child = spawn("ip", ["netns", "exec", this.ns(side), process.execPath, AGENT, "listen", config], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.children.add(child);
    await new Promise<void>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready")) resolve();
      });
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
      });
      child.once("exit", (code) => reject(new Error(`listener exited (${code}): ${err.trim()}`)));
    });
  }

  /** Runs probes from one side, in parallel, and returns one outcome per probe. */
  async probe(side: Side, probes: readonly Probe[], timeoutMs = 400, concurrency = 256): Promise<string[]> {
    if (probes.length === 0) return [];
    const child = spawn("ip", ["netns", "exec", this.ns(side), process.execPath, AGENT, "probe"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdin.end(JSON.stringify({ timeoutMs, concurrency, probes }));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    this.children.delete(child);
    if (code !== 0) throw new Error(`probe agent failed (${code}): ${err.trim()}`);
    return JSON.parse(out) as string[];
  }

  /** Stops the agents and deletes both namespaces (the veth pair goes with them). Safe to call twice. */
  destroy(): void {
    for (const child of this.children) child.kill("SIGKILL");
    this.children.clear();
    for (const ns of [this.server, this.client]) {
      if (!live.has(ns)) continue;
      spawnSync("ip", ["netns", "del", ns]);
      live.delete(ns);
    }
    // A veth whose namespace move failed may still sit in the host namespace.
    spawnSync("ip", ["link", "del", this.serverIf], { stdio: "ignore" });
  }

  private ns(side: Side): string {
    return side === "server" ? this.server : this.client;
  }
}

/** Runs `body` with a fresh test network and always deletes it afterwards. */
export async function withTestNet<T>(body: (net: TestNet) => Promise<T>): Promise<T> {
  const net = TestNet.create();
  try {
    return await body(net);
  } finally {
    net.destroy();
  }
}
