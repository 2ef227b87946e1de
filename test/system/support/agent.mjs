// Runs inside a test network namespace (started with `ip netns exec`). Plain
// JavaScript so it starts fast: every policy under test starts two of these.
//
//   node agent.mjs listen '{"tcp":[25],"udp":[53]}'   binds dual-stack listeners, prints "ready"
//   node agent.mjs probe < plan.json                   connects, prints one outcome per probe
//
// Outcomes: "connected" (TCP handshake done), "reply" (UDP answer), "timeout",
// or the socket error code ("ECONNREFUSED", "EPERM", ...).
import dgram from "node:dgram";
import net from "node:net";

const mode = process.argv[2];

if (mode === "listen") {
  // `udp` ports bind to the wildcard address; `udpHosts` pairs bind one socket
  // per [address, port], so the answer leaves from the address the probe targeted
  // (a wildcard socket would answer from the primary address and miss conntrack).
  const { tcp, udp, udpHosts = [] } = JSON.parse(process.argv[3]);
  const pending = [];
  for (const port of tcp) {
    const server = net.createServer((socket) => socket.destroy());
    pending.push(
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host: "::", port, ipv6Only: false }, resolve);
      }),
    );
  }
  const udpBinds = [...udp.map((port) => ["::", port]), ...udpHosts];
  for (const [address, port] of udpBinds) {
    const socket = dgram.createSocket(address.includes(":") ? { type: "udp6", ipv6Only: false } : "udp4");
    socket.on("message", (_msg, peer) => socket.send("pong", peer.port, peer.address));
    socket.on("error", () => {});
    pending.push(
      new Promise((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(port, address, resolve);
      }),
    );
  }
  Promise.all(pending).then(
    () => process.stdout.write("ready\n"),
    (err) => {
      process.stderr.write(`listen failed: ${err.message}\n`);
      process.exit(3);
    },
  );
  // The parent ends the listener by closing stdin (or killing it).
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
} else if (mode === "probe") {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", async () => {
    const plan = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const results = new Array(plan.probes.length);
    let next = 0;
    const worker = async () => {
      while (next < plan.probes.length) {
        const i = next++;
        const p = plan.probes[i];
        results[i] = await (p.protocol === "tcp" ? probeTcp(p, plan.timeoutMs) : probeUdp(p, plan.timeoutMs));
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.probes.length) }, worker));
    process.stdout.write(JSON.stringify(results));
  });
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}

function probeTcp(p, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: p.to, port: p.port, localAddress: p.from });
    const done = (outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done("timeout"), timeoutMs);
    socket.once("connect", () => done("connected"));
    socket.once("error", (err) => done(err.code ?? String(err)));
  });
}

function probeUdp(p, timeoutMs) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(p.to.includes(":") ? "udp6" : "udp4");
    let finished = false;
    const done = (outcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      resolve(outcome);
    };
    const timer = setTimeout(() => done("timeout"), timeoutMs);
    socket.on("error", (err) => done(err.code ?? String(err)));
    socket.on("message", () => done("reply"));
    socket.bind({ address: p.from, port: 0 }, () => {
      // A connected socket is what turns an ICMP port unreachable into ECONNREFUSED.
      socket.connect(p.port, p.to, () => {
        socket.send("ping", (err) => {
          if (err) done(err.code ?? String(err));
        });
      });
    });
  });
}
