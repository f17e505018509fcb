import * as aws from "../sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, type ServerContract, type ServerEndpoint, statefulResourceOptions } from "../contract";
import type { AwsPlatform } from "../platform";
import { assertDistinctUsers, serverAclUsers } from "./model";
import { elastiCacheAccessString } from "./renderAcl";
import type { ValkeyAppUsers } from "./appUsers";
import { elastiCacheId, elastiCacheParameters, parameterGroupFamily } from "./elasticache";
import { generatedPassword } from "./passwords";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import type { ValkeyAwsSettings, ValkeySettings } from "./settings";

export const ELASTICACHE_PORT = 6379;

export interface ValkeyElastiCacheArgs {
  readonly platform: AwsPlatform;
  readonly settings: ValkeySettings;
  readonly aws: ValkeyAwsSettings;
  readonly appUsers: ValkeyAppUsers;
  /** `stellaops-infra:rotation`: `valkey.default`, `valkey.admin`. */
  readonly rotation?: RotationTokens;
}

/** A security-group rule's logical name from its source, so reordering the allowed list replaces nothing. */
function ruleName(base: string, source: string): string {
  return `${base}-from-${source.replace(/[^a-zA-Z0-9]+/g, "-")}`;
}

/**
 * ElastiCache for Valkey: a replication group with encryption in transit and at rest, its own parameter group
 * (noeviction), subnet and security group from the given network, and RBAC users from the ACL model.
 */
export class ValkeyElastiCache extends ServerComponent implements ServerContract {
  public readonly replicationGroup: aws.elasticache.ReplicationGroup;
  public readonly parameterGroup: aws.elasticache.ParameterGroup;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  public readonly userGroup: aws.elasticache.UserGroup;

  constructor(name: string, args: ValkeyElastiCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:valkey:ElastiCache", name, {}, opts);
    // Tags come from the provider's defaultTags: a tag edit then never shows up as a change to the cache itself.
    const { platform, settings } = args;
    const cfg = args.aws;
    const family = parameterGroupFamily(cfg.engineVersion);
    const prefix = platform.namePrefix;
    const child = { parent: this, provider: platform.provider };

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: `${prefix}-valkey`,
        description: "StellaOps Valkey (ElastiCache): 6379 from allowed sources only",
        vpcId: platform.vpcId,
      },
      child,
    );
    const ingress = {
      securityGroupId: this.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: ELASTICACHE_PORT,
      toPort: ELASTICACHE_PORT,
    };
    for (const sg of platform.allowedSecurityGroupIds) {
      new aws.vpc.SecurityGroupIngressRule(
        ruleName(`${name}-ingress`, sg),
        { ...ingress, referencedSecurityGroupId: sg },
        child,
      );
    }
    for (const cidr of platform.allowedCidrs) {
      new aws.vpc.SecurityGroupIngressRule(ruleName(`${name}-ingress`, cidr), { ...ingress, cidrIpv4: cidr }, child);
    }

    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      {
        name: elastiCacheId(prefix, "valkey"),
        description: "StellaOps Valkey",
        subnetIds: [...platform.subnetIds],
      },
      child,
    );
    // The family is part of the name: a major-version change creates the new group before the old one goes.
    this.parameterGroup = new aws.elasticache.ParameterGroup(
      `${name}-params`,
      {
        name: elastiCacheId(prefix, "valkey", family),
        family,
        description: "StellaOps Valkey: noeviction unless configured otherwise",
        parameters: elastiCacheParameters(settings),
      },
      child,
    );

    // RBAC: the required `default` user exists (under its own id) and is off; passwords named by role.
    // ElastiCache's Valkey user groups take password users only, so even the disabled default user has one.
    const serverUsers = serverAclUsers({ platform: "aws" }, settings.adminUser);
    assertDistinctUsers([...serverUsers, ...args.appUsers.users.map((u) => u.user)]);
    const rbacUsers = [
      ...serverUsers.map((user) => ({
        user,
        // ElastiCache changes a user's passwords in place (ModifyUser); the cluster keeps running.
        password: generatedPassword(
          `${name}-${user.role}-password`,
          this,
          rotationToken(args.rotation ?? NO_ROTATION, rotationId.valkeyServerUser(user.role)),
        ).password,
      })),
      ...args.appUsers.users.map((u) => ({ user: u.user, password: u.password })),
    ];
    const adminPassword = rbacUsers.find((u) => u.user.role === "admin")?.password;
    if (adminPassword === undefined) throw new Error("the ElastiCache Valkey server has no admin user");
    const users = rbacUsers.map(
      ({ user, password }) =>
        new aws.elasticache.User(
          `${name}-user-${user.name}`,
          {
            userId: elastiCacheId(prefix, "valkey", user.name),
            userName: user.name,
            engine: "valkey",
            accessString: elastiCacheAccessString(user),
            authenticationMode: { type: "password", passwords: [password] },
          },
          child,
        ),
    );
    this.userGroup = new aws.elasticache.UserGroup(
      `${name}-users`,
      {
        userGroupId: elastiCacheId(prefix, "valkey-users"),
        engine: "valkey",
        userIds: users.map((u) => u.userId),
      },
      child,
    );

    const replicationGroupId = elastiCacheId(prefix, "valkey");
    this.replicationGroup = new aws.elasticache.ReplicationGroup(
      `${name}-cache`,
      {
        replicationGroupId,
        description: "StellaOps Valkey",
        engine: "valkey",
        engineVersion: cfg.engineVersion,
        nodeType: cfg.nodeType,
        numCacheClusters: cfg.nodes,
        port: ELASTICACHE_PORT,
        parameterGroupName: this.parameterGroup.name,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [this.securityGroup.id],
        atRestEncryptionEnabled: true,
        kmsKeyId: platform.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        multiAzEnabled: cfg.multiAz,
        automaticFailoverEnabled: cfg.automaticFailover,
        snapshotRetentionLimit: cfg.snapshotRetentionDays,
        snapshotWindow: cfg.snapshotWindow,
        maintenanceWindow: cfg.maintenanceWindow,
        finalSnapshotIdentifier: `${replicationGroupId}-final`,
        autoMinorVersionUpgrade: true,
        userGroupIds: [this.userGroup.userGroupId],
      },
      { ...child, ...statefulResourceOptions(platform.stateful) },
    );

    const endpoint: ServerEndpoint = {
      host: this.replicationGroup.primaryEndpointAddress,
      port: this.replicationGroup.port.apply((p) => p ?? ELASTICACHE_PORT),
    };
    this.serve({
      endpoint,
      admin: { username: pulumi.output(settings.adminUser), password: adminPassword },
      tls: pulumi.output(true),
      readyResources: [this.replicationGroup],
      deletedWith: this.replicationGroup,
    });
    this.registerOutputs({ endpoint, adminUsername: this.admin.username, tls: this.tls });
  }
}
