import { beforeEach, describe, expect, it } from "vitest";
import type { AwsPlatform } from "../../components/platform";
import { ValkeyAppUsers } from "../../components/valkey/appUsers";
import { ValkeyElastiCache } from "../../components/valkey/aws";
import { valkeyServiceConnections } from "../../components/valkey/connections";
import { blockProblems } from "../support/blockProblems";
import { valkeyAwsSettings, valkeySettings } from "../../components/valkey/settings";
import { settingsKey } from "../../components/settingsProblem";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  redactSecrets,
  resetRecorder,
  resourcesOfType,
  settled,
  unwrapSecrets,
  valueOf,
  testAwsPlatform,
} from "../harness";

function awsPlatform(overrides: Partial<AwsPlatform> = {}): AwsPlatform {
  return testAwsPlatform({
    vpcId: "vpc-0abc",
    subnetIds: ["subnet-a", "subnet-b"],
    allowedSecurityGroupIds: ["sg-0app"],
    allowedCidrs: ["10.20.0.0/16"],
    kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abcd",
    tags: { stack: "prod" },
    stateful: { protect: true, retainOnDelete: false },
    ...overrides,
  });
}

function build(settingsInput: object = {}, awsInput: object = {}, platform: AwsPlatform = awsPlatform()) {
  const settings = valkeySettings.parse(settingsInput);
  const appUsers = new ValkeyAppUsers("valkey-app", { settings });
  const server = new ValkeyElastiCache("valkey", {
    platform,
    settings,
    aws: valkeyAwsSettings.parse(awsInput),
    appUsers,
  });
  return { server, connections: valkeyServiceConnections(server, appUsers) };
}

/** What the aws.valkey schema refuses (elastiCacheProblems among its rules), as `key: message` lines relative to it. */
function awsBlockProblems(input: object): string[] {
  return blockProblems(valkeyAwsSettings, input).map((p) => `${settingsKey(p.path)}: ${p.message}`);
}

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const USER = "aws:elasticache/user:User";

describe("ValkeyElastiCache", () => {
  beforeEach(() => resetRecorder());

  it("creates an encrypted Valkey replication group with an explicit version, failover and snapshots", async () => {
    const { server } = build();
    const records = await settled();
    assertUniqueUrns(records);
    const rg = findResource(RG, "valkey-cache");
    const params = findResource("aws:elasticache/parameterGroup:ParameterGroup", "valkey-params");
    const subnets = findResource("aws:elasticache/subnetGroup:SubnetGroup", "valkey-subnets");
    const users = findResource("aws:elasticache/userGroup:UserGroup", "valkey-users");
    expect(rg.inputs).toMatchObject({
      replicationGroupId: "stellaops-prod-valkey",
      engine: "valkey",
      engineVersion: "8.1",
      nodeType: "cache.t4g.medium",
      numCacheClusters: 2,
      port: 6379,
      parameterGroupName: "stellaops-prod-valkey-valkey8",
      subnetGroupName: "stellaops-prod-valkey",
      securityGroupIds: ["valkey-sg-id"],
      atRestEncryptionEnabled: true,
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abcd",
      transitEncryptionEnabled: true,
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      snapshotRetentionLimit: 7,
      userGroupIds: ["stellaops-prod-valkey-users"],
    });
    expect(rg.options.protect).toBe(true);
    expect(rg.provider).toMatch(/aws::/);
    expect(rg.dependencies).toEqual(expect.arrayContaining([params.urn, subnets.urn, users.urn]));
    expect(params.inputs).toMatchObject({
      family: "valkey8",
      parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
    });
    expect(subnets.inputs["subnetIds"]).toEqual(["subnet-a", "subnet-b"]);
    expect(await valueOf(server.endpoint.host)).toBe("master.stellaops-prod-valkey.abc123.euw1.cache.amazonaws.com");
    expect(await valueOf(server.tls)).toBe(true);
  });

  it("picks the parameter-group family from the engine version; the loader refuses versions it does not know", async () => {
    build({}, { engineVersion: "7.2" });
    await settled();
    expect(findResource("aws:elasticache/parameterGroup:ParameterGroup", "valkey-params").inputs).toMatchObject({
      family: "valkey7",
      name: "stellaops-prod-valkey-valkey7",
    });
    expect(findResource(RG, "valkey-cache").inputs["engineVersion"]).toBe("7.2");
    expect(awsBlockProblems({ engineVersion: "9.0" })).toEqual([expect.stringMatching(/allowed: 7.2, 8.0, 8.1/)]);
    expect(awsBlockProblems({ nodes: 1 })).toEqual([
      expect.stringMatching(/^automaticFailover: needs at least 2 nodes/),
    ]);
    // Every problem at once, each at its key (the loader prefixes aws.valkey).
    expect(awsBlockProblems({ nodes: 1, engineVersion: "9.0", multiAz: true, automaticFailover: false })).toEqual([
      "multiAz: needs aws.valkey.automaticFailover true (ElastiCache rejects Multi-AZ without it)",
      'engineVersion: "9.0" is not an ElastiCache Valkey version this program supports; allowed: 7.2, 8.0, 8.1',
    ]);
  });

  it("opens 6379 only to the allowed security groups and CIDRs", async () => {
    build();
    await settled();
    const sg = findResource("aws:ec2/securityGroup:SecurityGroup", "valkey-sg");
    expect(sg.inputs["vpcId"]).toBe("vpc-0abc");
    expect(sg.inputs["ingress"]).toBeUndefined();
    const rules = resourcesOfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((r) => r.inputs).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      expect.objectContaining({
        cidrIpv4: "10.20.0.0/16",
        fromPort: 6379,
        toPort: 6379,
        ipProtocol: "tcp",
        securityGroupId: "valkey-sg-id",
      }),
      expect.objectContaining({
        referencedSecurityGroupId: "sg-0app",
        fromPort: 6379,
        toPort: 6379,
        ipProtocol: "tcp",
      }),
    ]);
  });

  it("creates RBAC users from the ACL model: a disabled default user, the admin, the shared app user", async () => {
    build();
    await settled();
    const users = resourcesOfType(USER);
    expect(users.map((u) => u.inputs["userName"]).sort()).toEqual(["default", "stellaops", "stellaops-admin"]);
    const byName = (n: string) => users.find((u) => u.inputs["userName"] === n)!;
    expect(byName("default").inputs).toMatchObject({
      userId: "stellaops-prod-valkey-default",
      engine: "valkey",
      accessString: "off -@all",
    });
    expect(byName("stellaops").inputs["accessString"]).toBe(
      "on ~* &* +@all -@dangerous -@admin +info -script|flush -script|kill -script|debug -function|flush -function|delete -function|restore -function|kill",
    );
    expect(byName("stellaops-admin").inputs["accessString"]).toBe("on ~* &* +@all");
    for (const u of users) {
      const mode = u.inputs["authenticationMode"] as { type: string; passwords: unknown[] };
      expect(mode.type).toBe("password");
      expect(isSecret(mode.passwords[0]) || isSecret(mode.passwords)).toBe(true);
      expect(String(unwrapSecrets(mode.passwords))).toMatch(/^fake-password-/);
    }
    const group = findResource("aws:elasticache/userGroup:UserGroup", "valkey-users");
    expect(group.inputs["engine"]).toBe("valkey");
    expect((group.inputs["userIds"] as string[]).sort()).toEqual([
      "stellaops-prod-valkey-default",
      "stellaops-prod-valkey-stellaops",
      "stellaops-prod-valkey-stellaops-admin",
    ]);
  });

  it("never puts a password in a plain input", async () => {
    build({ aclMode: "per-service" });
    const records = await settled();
    const plain = JSON.stringify(records.map((r) => redactSecrets(r.inputs)));
    expect(plain).not.toContain("fake-password");
    expect(JSON.stringify(records.map((r) => unwrapSecrets(r.inputs)))).toContain("fake-password");
  });

  it("per-service mode: one RBAC user per service with its own key patterns", async () => {
    const { connections } = build({ aclMode: "per-service" });
    await settled();
    const scanner = resourcesOfType(USER).find((u) => u.inputs["userName"] === "stellaops-scanner")!;
    expect(scanner.inputs["accessString"]).toMatch(
      /^on ~scanner:\* ~scanner\.\* &scanner:\* &scanner\.\* \+@all -@dangerous/,
    );
    expect(await valueOf(connections["scanner"].connectionString)).toMatch(
      /^master\.stellaops-prod-valkey\.abc123\.euw1\.cache\.amazonaws\.com:6379,user=stellaops-scanner,password=.+,ssl=true,abortConnect=false$/,
    );
    expect(await isSecretOutput(connections["scanner"].connectionString)).toBe(true);
  });

  it("leaves the replication group's inputs unchanged when ACL mode, eviction policy or memory setting change", async () => {
    build();
    await settled();
    const before = findResource(RG, "valkey-cache");
    resetRecorder();
    build({ aclMode: "per-service", maxmemoryPolicy: "volatile-lru", maxmemory: "8gb" }, { snapshotRetentionDays: 7 });
    await settled();
    const after = findResource(RG, "valkey-cache");
    expect(after.inputs).toEqual(before.inputs);
    expect(after.options).toEqual(before.options);
  });
});
