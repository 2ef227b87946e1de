/**
 * Provider models: the Alibaba Cloud and AWS outputs go through the providers'
 * own SDK request models and wire encoders (offline) without losing anything:
 * every field is one the model knows, with the model's type, and decoding the
 * encoded request gives back exactly the generated permissions.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { IpPermission } from "@aws-sdk/client-ec2";
import { generateTarget } from "../../src/core/generate/index";
import type { Policy } from "../../src/core/model";
import { HOSTILE_NOTES } from "./support/hostile";
import { compilePolicy, exampleFiles, readExample } from "./support/policies";
import {
  ALIYUN_PERMISSIONS_PER_REQUEST,
  type AliyunDirection,
  type AwsDirection,
  aliyunPermissionFields,
  batches,
  decodeAliyun,
  decodeAws,
  encodeAliyun,
  encodeAws,
  type WireRecord,
  withoutEmptyLists,
} from "./support/providers";
import { randomPolicyText } from "./support/random-policy";
import { Rng, runSeed } from "./support/rng";

const SEED = runSeed();
const RANDOM_POLICIES = Number(process.env.MAILPOLICY_RANDOM_PROVIDER_POLICIES ?? 25);
console.log(`provider-models.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

interface AliyunDocument {
  RegionId: string;
  SecurityGroupId: string;
  Ingress: WireRecord[];
  Egress: WireRecord[];
}

interface AwsDocument {
  GroupId: string;
  IpPermissions: IpPermission[];
  IpPermissionsEgress: IpPermission[];
}

/** AWS's documented Description alphabet (the API refuses anything else). */
const AWS_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

function aliyunValueProblems(direction: AliyunDirection, entry: WireRecord): string[] {
  const problems: string[] = [];
  const fields = aliyunPermissionFields(direction);
  for (const [key, value] of Object.entries(entry)) {
    const type = fields.get(key);
    if (type === undefined) problems.push(`${key} is not a field of the ${direction} Permissions model`);
    else if (typeof value !== type) problems.push(`${key} is a ${typeof value}, the SDK model wants a ${type}`);
  }
  if (!/^(TCP|UDP|ICMP|GRE|ALL)$/i.test(String(entry.IpProtocol))) problems.push(`IpProtocol ${entry.IpProtocol}`);
  const range = /^(-?\d+)\/(-?\d+)$/.exec(String(entry.PortRange));
  const portsOk =
    range !== null &&
    ((range[1] === "-1" && range[2] === "-1") ||
      (Number(range[1]) >= 1 && Number(range[1]) <= Number(range[2]) && Number(range[2]) <= 65535));
  if (!portsOk) problems.push(`PortRange ${entry.PortRange}`);
  if (!/^(accept|drop)$/i.test(String(entry.Policy))) problems.push(`Policy ${entry.Policy}`);
  const priority = Number(entry.Priority);
  if (!(Number.isInteger(priority) && priority >= 1 && priority <= 100)) problems.push(`Priority ${entry.Priority}`);
  const peers = (
    direction === "Ingress" ? ["SourceCidrIp", "Ipv6SourceCidrIp"] : ["DestCidrIp", "Ipv6DestCidrIp"]
  ).filter((k) => k in entry);
  if (peers.length !== 1) problems.push(`needs exactly one address field, has ${peers.join(", ") || "none"}`);
  if ("Description" in entry && !(String(entry.Description).length >= 1 && String(entry.Description).length <= 512)) {
    problems.push(`Description of ${String(entry.Description).length} characters`);
  }
  return problems;
}

async function assertAliyunSurvives(policy: Policy, label: string): Promise<void> {
  const doc = JSON.parse(generateTarget(policy, "aliyun").text) as AliyunDocument;
  for (const direction of ["Ingress", "Egress"] as const) {
    const entries = doc[direction];
    const problems = entries.flatMap((e, i) =>
      aliyunValueProblems(direction, e).map((p) => `${direction}[${i}]: ${p}`),
    );
    assert.deepEqual(problems, [], `${label}: entries the API would refuse`);
    const decoded: WireRecord[] = [];
    for (const batch of batches(entries)) {
      assert.ok(batch.length <= ALIYUN_PERMISSIONS_PER_REQUEST);
      const call = await encodeAliyun(direction, doc.RegionId, doc.SecurityGroupId, batch);
      const { top, permissions } = decodeAliyun(call.query);
      // A policy without `targets.aliyun` leaves the ids out; the request then carries none either.
      const ids = Object.fromEntries(
        Object.entries({ RegionId: doc.RegionId, SecurityGroupId: doc.SecurityGroupId }).filter(
          ([, v]) => v !== undefined,
        ),
      );
      assert.deepEqual(top, ids, label);
      // On the wire every value is text; the types were checked against the model above.
      const expected = batch.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)])));
      assert.deepEqual(permissions, expected, `${label}: ${direction} changed in the request encoding`);
      decoded.push(...permissions);
    }
    assert.equal(decoded.length, entries.length, `${label}: ${direction} entries lost in batching`);
  }
}

async function assertAwsSurvives(policy: Policy, label: string): Promise<void> {
  const doc = JSON.parse(generateTarget(policy, "aws").text) as AwsDocument;
  for (const direction of ["IpPermissions", "IpPermissionsEgress"] as const satisfies AwsDirection[]) {
    const permissions = doc[direction];
    const descriptions = permissions.flatMap((p) => [...(p.IpRanges ?? []), ...(p.Ipv6Ranges ?? [])]);
    const refused = descriptions.map((r) => r.Description ?? "").filter((d) => !AWS_DESCRIPTION.test(d));
    assert.deepEqual(refused, [], `${label}: descriptions outside AWS's alphabet or over 255 characters`);
    if (permissions.length === 0) continue;
    const body = await encodeAws(direction, doc.GroupId, permissions);
    const decoded = decodeAws(body);
    const action = direction === "IpPermissions" ? "AuthorizeSecurityGroupIngress" : "AuthorizeSecurityGroupEgress";
    assert.equal(decoded.params.Action, action);
    assert.equal(decoded.params.GroupId, doc.GroupId);
    assert.deepEqual(
      decoded.IpPermissions,
      withoutEmptyLists(permissions),
      `${label}: ${direction} changed on the wire`,
    );
  }
}

/** The examples, random policies (some with hostile notes) and one policy too big for a single Alibaba request. */
function policies(): { label: string; policy: Policy }[] {
  const out = exampleFiles().map((f) => ({ label: f, policy: compilePolicy(readExample(f), f) }));
  const rng = new Rng(SEED);
  for (let i = 0; i < RANDOM_POLICIES; i++) {
    const hostile = i % 2 === 1;
    const text = randomPolicyText(rng, {
      maxRules: 10,
      note: hostile ? () => rng.pick(HOSTILE_NOTES) : undefined,
    });
    out.push({ label: `random policy #${i} (seed ${SEED})`, policy: compilePolicy(text, `random #${i}\n${text}`) });
  }
  const big = [
    "mailpolicy: 1",
    "inbound:",
    "  default: drop",
    "  rules:",
    ...Array.from({ length: 70 }, (_, i) => [
      `    - allow: ${20000 + i * 3}/${i % 2 ? "udp" : "tcp"}`,
      `      from: [198.51.100.${i}, 2001:db8:${i.toString(16)}::/48]`,
      `      note: batch ${i}`,
    ]).flat(),
    "targets:",
    "  aliyun: { regionId: cn-hangzhou, securityGroupId: sg-bp1big, priority: 1 }",
    "  aws: { groupId: sg-0big }",
    "",
  ].join("\n");
  out.push({ label: "140-entry policy", policy: compilePolicy(big, "140-entry policy") });
  return out;
}

describe("provider SDK models", () => {
  const all = policies();

  test("the big policy needs more than one Alibaba Cloud request", () => {
    const big = all.at(-1)!;
    const doc = JSON.parse(generateTarget(big.policy, "aliyun").text) as AliyunDocument;
    assert.ok(doc.Ingress.length > ALIYUN_PERMISSIONS_PER_REQUEST, `only ${doc.Ingress.length} entries`);
  });

  test("Alibaba Cloud: AuthorizeSecurityGroup(Egress) models and Permissions.N encoding keep every field", async () => {
    for (const { label, policy } of all) await assertAliyunSurvives(policy, label);
  });

  test("AWS: Authorize(Ingress|Egress) command serialization keeps every permission", async () => {
    for (const { label, policy } of all) await assertAwsSurvives(policy, label);
  });

  test("a field the Alibaba Cloud model does not know is noticed", async () => {
    const entry: WireRecord = { IpProtocol: "TCP", PortRange: "25/25", SourceCidrIp: "0.0.0.0/0", Priority: "1" };
    const withTypo = { ...entry, SourceCidr: "198.51.100.0/24" };
    assert.deepEqual(aliyunValueProblems("Ingress", withTypo).slice(0, 1), [
      "SourceCidr is not a field of the Ingress Permissions model",
    ]);
    const call = await encodeAliyun("Ingress", "cn-hangzhou", "sg-1", [withTypo]);
    assert.notDeepEqual(decodeAliyun(call.query).permissions, [withTypo]);
    assert.deepEqual(
      aliyunValueProblems("Ingress", { ...entry, Priority: 1 as unknown as string }).at(0),
      ["Priority is a number, the SDK model wants a string"][0],
    );
  });

  test("a field the AWS serializer drops is noticed", async () => {
    const permission = {
      IpProtocol: "tcp",
      FromPort: 25,
      ToPort: 25,
      IpRanges: [{ CidrIp: "0.0.0.0/0", Comment: "x" }],
    };
    const decoded = decodeAws(await encodeAws("IpPermissions", "sg-1", [permission as IpPermission]));
    assert.notDeepEqual(decoded.IpPermissions, [permission]);
  });
});
