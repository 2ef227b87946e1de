/**
 * The generated security groups pushed through the providers' own SDK models
 * and request encoders, offline: the Alibaba Cloud client's API call is
 * replaced by a recorder, and the AWS client gets a request handler that
 * records the signed HTTP request and answers it locally. Nothing is sent.
 */
import Ecs, {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupEgressRequestPermissions,
  AuthorizeSecurityGroupRequest,
  AuthorizeSecurityGroupRequestPermissions,
} from "@alicloud/ecs20140526";
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
  type IpPermission,
} from "@aws-sdk/client-ec2";

// The CI image runs Node 20 on purpose (the extension's floor); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Alibaba Cloud takes at most this many `Permissions` per call. */
export const ALIYUN_PERMISSIONS_PER_REQUEST = 100;

export type WireRecord = Record<string, string | number>;

interface DaraModelClass {
  new (map: Record<string, unknown>): { validate(): void };
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}

export const ALIYUN_MODELS = {
  Ingress: {
    action: "AuthorizeSecurityGroup",
    request: AuthorizeSecurityGroupRequest as unknown as DaraModelClass,
    permission: AuthorizeSecurityGroupRequestPermissions as unknown as DaraModelClass,
  },
  Egress: {
    action: "AuthorizeSecurityGroupEgress",
    request: AuthorizeSecurityGroupEgressRequest as unknown as DaraModelClass,
    permission: AuthorizeSecurityGroupEgressRequestPermissions as unknown as DaraModelClass,
  },
} as const;

export type AliyunDirection = keyof typeof ALIYUN_MODELS;

/** Wire name -> SDK type (`string` / `number`) of a Permissions model. */
export function aliyunPermissionFields(direction: AliyunDirection): Map<string, unknown> {
  const model = ALIYUN_MODELS[direction].permission;
  const names = model.names();
  const types = model.types();
  return new Map(Object.entries(names).map(([camel, wire]) => [wire, types[camel]]));
}

export interface AliyunCall {
  readonly action: string;
  /** The flattened query the client built, e.g. `Permissions.1.PortRange`. */
  readonly query: Record<string, string>;
}

/**
 * Builds the SDK request for one batch of permissions (wire field names, as in
 * our JSON) and returns the query the real client encodes for it.
 */
export async function encodeAliyun(
  direction: AliyunDirection,
  regionId: string,
  securityGroupId: string,
  permissions: readonly WireRecord[],
): Promise<AliyunCall> {
  const { request: Request, permission: Permission } = ALIYUN_MODELS[direction];
  const camelOf = new Map(Object.entries(Permission.names()).map(([camel, wire]) => [wire, camel]));
  const models = permissions.map((p) => {
    const map: Record<string, unknown> = {};
    for (const [wire, value] of Object.entries(p)) {
      // An unknown wire name is kept under its own name, so the model drops it and the comparison shows it.
      map[camelOf.get(wire) ?? wire] = value;
    }
    return new Permission(map);
  });
  const request = new Request({ regionId, securityGroupId, permissions: models });
  request.validate();
  const calls: AliyunCall[] = [];
  const EcsClient = Ecs as unknown as new (
    config: Record<string, unknown>,
  ) => {
    callApi: (params: { action: string }, req: { query: Record<string, string> }) => Promise<unknown>;
  } & Record<string, (request: unknown, runtime: unknown) => Promise<unknown>>;
  const client = new EcsClient({
    accessKeyId: "offline-test",
    accessKeySecret: "offline-test",
    endpoint: "ecs.offline.invalid",
    regionId,
  });
  client.callApi = async (params, req) => {
    calls.push({ action: params.action, query: { ...req.query } });
    return { headers: {}, statusCode: 200, body: {} };
  };
  const method =
    direction === "Ingress" ? "authorizeSecurityGroupWithOptions" : "authorizeSecurityGroupEgressWithOptions";
  await client[method](request, {});
  if (calls.length !== 1) throw new Error(`expected one API call, got ${calls.length}`);
  return calls[0];
}

/** Reads `Permissions.N.Field` back into a list, and the top-level parameters. */
export function decodeAliyun(query: Record<string, string>): {
  top: Record<string, string>;
  permissions: WireRecord[];
} {
  const top: Record<string, string> = {};
  const permissions: WireRecord[] = [];
  for (const [key, value] of Object.entries(query)) {
    const m = /^Permissions\.(\d+)\.(\w+)$/.exec(key);
    if (!m) {
      top[key] = value;
      continue;
    }
    const index = Number(m[1]) - 1;
    permissions[index] ??= {};
    permissions[index][m[2]] = value;
  }
  return { top, permissions };
}

/** Splits a list into requests of at most `size` entries. */
export function batches<T>(items: readonly T[], size = ALIYUN_PERMISSIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type AwsDirection = "IpPermissions" | "IpPermissionsEgress";

/** Serializes one AWS call with the SDK's own middleware stack and returns the form body it would POST. */
export async function encodeAws(
  direction: AwsDirection,
  groupId: string,
  permissions: IpPermission[],
): Promise<string> {
  const bodies: string[] = [];
  const client = new EC2Client({
    region: "us-east-1",
    endpoint: "https://ec2.offline.invalid",
    credentials: { accessKeyId: "AKIDOFFLINETEST", secretAccessKey: "offline-test" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        bodies.push(String(request.body ?? ""));
        const xml = `<Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><return>true</return></Response>`;
        return { response: { statusCode: 200, headers: {}, body: new TextEncoder().encode(xml) } };
      },
    } as never,
  });
  const input = { GroupId: groupId, IpPermissions: permissions };
  if (direction === "IpPermissions") await client.send(new AuthorizeSecurityGroupIngressCommand(input));
  else await client.send(new AuthorizeSecurityGroupEgressCommand(input));
  client.destroy();
  if (bodies.length !== 1) throw new Error(`expected one HTTP request, got ${bodies.length}`);
  return bodies[0];
}

/** EC2 query names that differ from the JSON (shape) names. */
const AWS_QUERY_TO_SHAPE: Record<string, string> = { Groups: "UserIdGroupPairs" };
const AWS_NUMBERS = new Set(["FromPort", "ToPort"]);

type Nested = { [key: string]: Nested | string };

/** Decodes an EC2 query body (`IpPermissions.1.IpRanges.1.CidrIp=...`) back into JSON shapes. */
export function decodeAws(body: string): { params: Record<string, string>; IpPermissions: IpPermission[] } {
  const root: Nested = {};
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    params[key] = value;
    const parts = key.split(".");
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      node[part] ??= {};
      node = node[part] as Nested;
    });
  }
  const toShape = (value: Nested | string, name: string): unknown => {
    if (typeof value === "string") return AWS_NUMBERS.has(name) ? Number(value) : value;
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => toShape(value[k], ""));
    }
    return Object.fromEntries(keys.map((k) => [AWS_QUERY_TO_SHAPE[k] ?? k, toShape(value[k], k)]));
  };
  const permissions = root.IpPermissions === undefined ? [] : toShape(root.IpPermissions, "IpPermissions");
  return { params, IpPermissions: permissions as IpPermission[] };
}

/** Drops empty lists: an empty list has no representation in a query string, and means the same as none. */
export function withoutEmptyLists<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutEmptyLists) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => [k, withoutEmptyLists(v)]),
    ) as T;
  }
  return value;
}
