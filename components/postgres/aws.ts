import * as aws from "../sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, statefulResourceOptions } from "../contract";
import type { AwsPlatform } from "../platform";
import { majorOf } from "../settingsCommon";
import { majorVersionGuard } from "./majorGuard";
import type { RotationTokens } from "../rotation";
import { adminPassword } from "./passwords";
import type { PostgresServer } from "./server";
import type { PostgresAwsSettings, PostgresSettings } from "./settings";

export interface PostgresAwsServerArgs {
  readonly platform: AwsPlatform;
  /** `stellaops-infra:postgres` (version → engine version and parameter group family). */
  readonly settings: PostgresSettings;
  /** `stellaops-infra:aws.postgres` */
  readonly aws: PostgresAwsSettings;
  /** `stellaops-infra:rotation`: `postgres.admin` renews the master password. */
  readonly rotation?: RotationTokens;
}

/**
 * Who may connect on the PostgreSQL port: the platform's security groups and CIDRs, nothing else. That there is at
 * least one is the `aws` block's rule (awsPlatformSettings in profiles/config.ts).
 */
export function rdsIngressSources(platform: AwsPlatform): { kind: "sg" | "cidr"; value: string }[] {
  return [
    ...platform.allowedSecurityGroupIds.map((value) => ({ kind: "sg" as const, value })),
    ...platform.allowedCidrs.map((value) => ({ kind: "cidr" as const, value })),
  ];
}

/** With automatic minor upgrades RDS moves the minor itself, so the program states only the major. */
export function rdsEngineVersion(version: string, autoMinorVersionUpgrade: boolean): string {
  return autoMinorVersionUpgrade ? String(majorOf(version)) : version;
}

export function rdsParameters(settings: PostgresAwsSettings): aws.types.input.rds.ParameterGroupParameter[] {
  const extra = Object.entries(settings.parameters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" }));
  return [{ name: "rds.force_ssl", value: settings.forceSsl ? "1" : "0", applyMethod: "immediate" }, ...extra];
}

/**
 * RDS for PostgreSQL inside the given subnets: private, encrypted, Multi-AZ, backed up, protected from deletion,
 * with a final snapshot; TLS enforced by the parameter group.
 *
 * The master password is generated here (RandomPassword, secret) rather than with `manageMasterUserPassword`:
 * Secrets Manager rotates that password on its own schedule (7 days by default), after which the PostgreSQL
 * provider in this program — which must log in as the master user to manage roles and schemas — would fail
 * until someone fed it the new value, and reading it would need a provider invoke at every run. Rotate this one
 * with its rotation token (`rotation: { postgres.admin: <token> }`): RDS applies the new master password in place
 * (ModifyDBInstance applies MasterUserPassword as soon as possible, whatever applyImmediately says).
 */
export class PostgresAwsServer extends ServerComponent implements PostgresServer {
  /** The master user has rds_superuser, not superuser. */
  public readonly adminIsSuperuser = false;
  public readonly instance: aws.rds.Instance;
  public readonly securityGroup: aws.ec2.SecurityGroup;

  constructor(name: string, args: PostgresAwsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:postgres:AwsServer", name, {}, opts);
    const { platform, settings } = args;
    const rds = args.aws;
    const on = { parent: this, provider: platform.provider };
    const identifier = rds.identifier ?? `${platform.namePrefix}-postgres`;
    const major = majorOf(settings.version);
    // The stack's tags come from the provider's defaultTags (profiles/platforms.ts): repeating them here would put
    // them in the instance's inputs, so a tag edit would show as a change to the database itself.
    const tags = { "stellaops:component": "postgres" };

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { name: `${identifier}-subnets`, description: "StellaOps PostgreSQL", subnetIds: [...platform.subnetIds], tags },
      on,
    );

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: identifier,
        description: "StellaOps PostgreSQL: the configured sources on the PostgreSQL port only",
        vpcId: platform.vpcId,
        revokeRulesOnDelete: true,
        tags,
      },
      on,
    );
    for (const source of rdsIngressSources(platform)) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-ingress-${source.value.replace(/[^a-zA-Z0-9]+/g, "-")}`,
        {
          securityGroupId: this.securityGroup.id,
          ipProtocol: "tcp",
          fromPort: rds.port,
          toPort: rds.port,
          description: `PostgreSQL from ${source.value}`,
          ...(source.kind === "sg" ? { referencedSecurityGroupId: source.value } : { cidrIpv4: source.value }),
          tags,
        },
        on,
      );
    }

    const majorGuard = majorVersionGuard(
      name,
      { major, allowMajorUpgradeTo: settings.allowMajorUpgradeTo, platform: "aws" },
      this,
    );

    // The family is part of the name (family and name force a new group): a major upgrade creates the new group
    // first, the instance's one ModifyDBInstance moves to it with the new engine version, and only then is the old
    // group deleted (Pulumi deletes replaced resources after their dependents are updated).
    const parameterGroup = new aws.rds.ParameterGroup(
      `${name}-parameters`,
      {
        name: `${identifier}-postgres${major}`,
        family: `postgres${major}`,
        description: `StellaOps PostgreSQL ${major}`,
        parameters: rdsParameters(rds),
        tags,
      },
      { ...on, dependsOn: [majorGuard] },
    );

    const masterPassword = adminPassword(`${name}-master-password`, this, args.rotation);
    const password = pulumi.secret(masterPassword.result);

    this.instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier,
        engine: "postgres",
        engineVersion: rdsEngineVersion(settings.version, rds.autoMinorVersionUpgrade),
        autoMinorVersionUpgrade: rds.autoMinorVersionUpgrade,
        // Only with the switch naming this major (checked at config load). Without it RDS itself refuses a major
        // engineVersion change before modifying anything, and the guard refuses it before that.
        allowMajorVersionUpgrade: settings.allowMajorUpgradeTo === major,
        instanceClass: rds.instanceClass,
        allocatedStorage: rds.allocatedStorageGb,
        ...(rds.maxAllocatedStorageGb > 0 ? { maxAllocatedStorage: rds.maxAllocatedStorageGb } : {}),
        storageType: rds.storageType,
        storageEncrypted: true,
        ...(platform.kmsKeyArn ? { kmsKeyId: platform.kmsKeyArn } : {}),
        username: rds.masterUsername,
        password,
        port: rds.port,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [this.securityGroup.id],
        parameterGroupName: parameterGroup.name,
        publiclyAccessible: false,
        multiAz: rds.multiAz,
        backupRetentionPeriod: rds.backupRetentionDays,
        ...(rds.backupWindow ? { backupWindow: rds.backupWindow } : {}),
        ...(rds.maintenanceWindow ? { maintenanceWindow: rds.maintenanceWindow } : {}),
        deletionProtection: rds.deletionProtection,
        skipFinalSnapshot: rds.skipFinalSnapshot,
        finalSnapshotIdentifier: rds.finalSnapshotIdentifier ?? `${identifier}-final`,
        deleteAutomatedBackups: false,
        copyTagsToSnapshot: true,
        applyImmediately: rds.applyImmediately,
        performanceInsightsEnabled: rds.performanceInsights,
        ...(rds.performanceInsights && platform.kmsKeyArn ? { performanceInsightsKmsKeyId: platform.kmsKeyArn } : {}),
        enabledCloudwatchLogsExports: [...rds.cloudwatchLogsExports],
        tags,
      },
      { ...on, ...statefulResourceOptions(platform.stateful), dependsOn: [majorGuard] },
    );

    this.serve({
      endpoint: { host: this.instance.address, port: this.instance.port },
      adminEndpoint: {
        host: rds.adminHost !== undefined ? pulumi.output(rds.adminHost) : this.instance.address,
        port: rds.adminPort !== undefined ? pulumi.output(rds.adminPort) : this.instance.port,
      },
      admin: { username: this.instance.username, password },
      tls: pulumi.output(true),
      readyResources: [this.instance],
      deletedWith: this.instance,
    });

    this.registerOutputs({ endpoint: this.endpoint, adminEndpoint: this.adminEndpoint, tls: this.tls });
  }
}
