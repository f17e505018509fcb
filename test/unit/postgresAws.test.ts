import { beforeEach, describe, expect, it } from "vitest";
import type { AwsPlatform } from "../../components/platform";
import { PostgresAwsServer } from "../../components/postgres/aws";
import { PostgresDatabase } from "../../components/postgres/database";
import { postgresAwsSettings, postgresSettings } from "../../components/postgres/settings";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  recorder,
  redactSecrets,
  resetRecorder,
  resourcesOfType,
  settled,
  unwrapSecrets,
  valueOf,
  testAwsPlatform,
} from "../harness";

const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0d9d1c2e-1111-2222-3333-444455556666";

function awsPlatform(overrides: Partial<AwsPlatform> = {}): AwsPlatform {
  return testAwsPlatform({
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    allowedSecurityGroupIds: ["sg-0123456789abcdef0"],
    allowedCidrs: ["10.20.0.0/16"],
    kmsKeyArn: KMS,
    tags: { "stellaops:environment": "prod" },
    ...overrides,
  });
}

const INSTANCE = "aws:rds/instance:Instance";

function deploy(awsRaw: object = {}, settingsRaw: object = {}, platformOverrides: Partial<AwsPlatform> = {}) {
  const platform = awsPlatform(platformOverrides);
  const settings = postgresSettings.parse(settingsRaw);
  const server = new PostgresAwsServer("postgres", { platform, settings, aws: postgresAwsSettings.parse(awsRaw) });
  return { platform, server, settings };
}

describe("PostgresAwsServer (RDS)", () => {
  beforeEach(() => resetRecorder());

  it("creates a private, encrypted, Multi-AZ, backed-up instance with production-safe defaults", async () => {
    deploy();
    const records = await settled();
    assertUniqueUrns(records);
    const component = findResource("stellaops:postgres:AwsServer", "postgres");
    const provider = findResource("pulumi:providers:aws", "aws");
    const instance = findResource(INSTANCE, "postgres-instance");
    expect(unwrapSecrets(instance.inputs)).toMatchObject({
      identifier: "stellaops-prod-postgres",
      engine: "postgres",
      engineVersion: "18",
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      instanceClass: "db.t4g.medium",
      storageEncrypted: true,
      kmsKeyId: KMS,
      publiclyAccessible: false,
      multiAz: true,
      backupRetentionPeriod: 30,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "stellaops-prod-postgres-final",
      username: "stellaops_admin",
      dbSubnetGroupName: "stellaops-prod-postgres-subnets",
      parameterGroupName: "stellaops-prod-postgres-postgres18",
      vpcSecurityGroupIds: ["postgres-sg-id"],
      port: 5432,
    });
    expect(instance.options).toMatchObject({ protect: true, retainOnDelete: true });
    for (const r of records.filter((x) => x.type.startsWith("aws:"))) {
      expect(r.parent, r.name).toBe(component.urn);
      expect(r.provider, r.name).toBe(`${provider.urn}::aws-id`);
    }
  });

  it("generates the master password and hands it over only as a secret", async () => {
    const { server } = deploy();
    const records = await settled();
    const instance = findResource(INSTANCE, "postgres-instance");
    expect(isSecret(instance.inputs["password"])).toBe(true);
    expect(instance.inputs["manageMasterUserPassword"]).toBeUndefined();
    expect(JSON.stringify(redactSecrets(records))).not.toContain("fake-password");
    expect(await isSecretOutput(server.admin.password)).toBe(true);
  });

  it("lets only the configured security groups and CIDRs in, on the PostgreSQL port only", async () => {
    deploy();
    await settled();
    const sg = findResource("aws:ec2/securityGroup:SecurityGroup", "postgres-sg");
    expect(sg.inputs).toMatchObject({ vpcId: "vpc-0123456789abcdef0", name: "stellaops-prod-postgres" });
    expect(sg.inputs["ingress"]).toBeUndefined();
    expect(sg.inputs["egress"]).toBeUndefined();
    const rules = resourcesOfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(
      rules.map((r) => r.inputs).sort((a, b) => String(a["description"]).localeCompare(String(b["description"]))),
    ).toEqual([
      expect.objectContaining({
        securityGroupId: "postgres-sg-id",
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        cidrIpv4: "10.20.0.0/16",
      }),
      expect.objectContaining({
        securityGroupId: "postgres-sg-id",
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        referencedSecurityGroupId: "sg-0123456789abcdef0",
      }),
    ]);
  });

  it("forces TLS in a parameter group for the major version", async () => {
    deploy({ parameters: { log_min_duration_statement: "2000" } }, { version: "17.4" });
    await settled();
    const group = findResource("aws:rds/parameterGroup:ParameterGroup", "postgres-parameters");
    expect(group.inputs).toMatchObject({
      family: "postgres17",
      parameters: [
        { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
        { name: "log_min_duration_statement", value: "2000", applyMethod: "pending-reboot" },
      ],
    });
  });

  it("pins the full engine version when automatic minor upgrades are off", async () => {
    deploy({ autoMinorVersionUpgrade: false });
    await settled();
    expect(findResource(INSTANCE, "postgres-instance").inputs).toMatchObject({
      engineVersion: "18.1",
      autoMinorVersionUpgrade: false,
    });
  });

  it("exposes the RDS endpoint over TLS, with an admin endpoint override for tunnels", async () => {
    const { server } = deploy({ adminHost: "127.0.0.1", adminPort: 15432 });
    await settled();
    expect(await valueOf(server.endpoint.host)).toBe(
      "stellaops-prod-postgres.c0ffee000000.eu-west-1.rds.amazonaws.com",
    );
    expect(await valueOf(server.endpoint.port)).toBe(5432);
    expect(await valueOf(server.adminEndpoint.host)).toBe("127.0.0.1");
    expect(await valueOf(server.adminEndpoint.port)).toBe(15432);
    expect(await valueOf(server.tls)).toBe(true);
    expect(server.adminIsSuperuser).toBe(false);
  });

  it("keeps the instance's inputs unchanged when unrelated settings change", async () => {
    deploy();
    await settled();
    const before = findResource(INSTANCE, "postgres-instance");
    resetRecorder();
    deploy(
      { adminHost: "bastion.internal", parameters: { work_mem: "64MB" } },
      {
        database: "other",
        roleDefaults: { connectionLimit: 3 },
        readGrants: [{ service: "notify", schema: "scheduler" }],
      },
      // Stack tags reach the instance through the provider's defaultTags, not its inputs.
      { tags: { "stellaops:environment": "prod", team: "platform" } },
    );
    await settled();
    const after = findResource(INSTANCE, "postgres-instance");
    expect(after.inputs).toEqual(before.inputs);
    expect(after.options).toEqual(before.options);
  });

  it("lays out RDS through a non-superuser provider with sslmode require, after the instance", async () => {
    const { server, settings, platform } = deploy();
    new PostgresDatabase("layout", { server, settings, optionalServices: [], stateful: platform.stateful });
    await settled();
    const instance = findResource(INSTANCE, "postgres-instance");
    const provider = findResource("pulumi:providers:postgresql", "layout-provider");
    expect(unwrapSecrets(provider.inputs)).toMatchObject({
      superuser: "false",
      sslmode: "require",
      username: "stellaops_admin",
    });
    expect(provider.dependencies).toContain(instance.urn);
    for (const r of recorder.resources.filter((x) => x.type.startsWith("postgresql:index/"))) {
      expect(r.dependencies, r.name).toContain(instance.urn);
    }
  });
});
