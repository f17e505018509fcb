import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** Fake provider outputs for the valkey area: every output the program reads must be listed here. */
export const valkeyFakeOutputs: FakeOutputTable = {
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (name) => ({ securityGroupRuleId: `sgr-${name}` }),
  "aws:elasticache/subnetGroup:SubnetGroup": (name, inputs) => ({ name: inputs["name"] ?? name }),
  "aws:elasticache/parameterGroup:ParameterGroup": (name, inputs) => ({
    name: inputs["name"] ?? name,
    arn: `arn:aws:elasticache:eu-west-1:123456789012:parametergroup:${String(inputs["name"] ?? name)}`,
  }),
  "aws:elasticache/user:User": (name, inputs) => ({
    userId: inputs["userId"] ?? name,
    arn: `arn:aws:elasticache:eu-west-1:123456789012:user:${String(inputs["userId"] ?? name)}`,
  }),
  "aws:elasticache/userGroup:UserGroup": (name, inputs) => ({
    userGroupId: inputs["userGroupId"] ?? name,
    arn: `arn:aws:elasticache:eu-west-1:123456789012:usergroup:${String(inputs["userGroupId"] ?? name)}`,
  }),
  "aws:elasticache/replicationGroup:ReplicationGroup": (name, inputs) => ({
    primaryEndpointAddress: `master.${String(inputs["replicationGroupId"] ?? name)}.abc123.euw1.cache.amazonaws.com`,
    readerEndpointAddress: `replica.${String(inputs["replicationGroupId"] ?? name)}.abc123.euw1.cache.amazonaws.com`,
    port: inputs["port"] ?? 6379,
    arn: `arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:${String(inputs["replicationGroupId"] ?? name)}`,
  }),
  "kubernetes:core/v1:Secret": (name, inputs) => ({
    metadata: { ...(inputs["metadata"] as object), name: (inputs["metadata"] as { name?: string })?.name ?? name },
  }),
  "kubernetes:helm.sh/v3:Release": (name, inputs) => ({
    status: { name: inputs["name"] ?? name, namespace: inputs["namespace"], status: "deployed", revision: 1 },
  }),
};

export const valkeyFakeInvokes: FakeInvokeTable = {};
