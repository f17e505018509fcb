/**
 * What a rotated credential does to the resources that carry it, per resource type, as data with its upstream
 * source: whether the change is an in-place update or a replacement. The lifecycle tier asserts rotations against
 * it (test/lifecycle/rotation.test.ts); docs/rotation.md tells operators the same.
 */

export interface CredentialChangeFact {
  /** Inputs a new credential changes. */
  readonly inputs: readonly string[];
  readonly effect: "update" | "replace";
  readonly source: string;
}

export const CREDENTIAL_CHANGES: Readonly<Record<string, CredentialChangeFact>> = {
  "random:index/randomPassword:RandomPassword": {
    inputs: ["keepers"],
    effect: "replace",
    source:
      "hashicorp/terraform-provider-random @ f8d869dc98d9 (bridged by pulumi-random 4.21), internal/provider/resource_password.go keepers: mapplanmodifiers.RequiresReplaceIfValuesNotNull (internal/planmodifiers/map/mapplanmodifiers.go)",
  },
  "random:index/randomString:RandomString": {
    inputs: ["keepers"],
    effect: "replace",
    source:
      "hashicorp/terraform-provider-random @ f8d869dc98d9, internal/provider/resource_string.go keepers: RequiresReplaceIfValuesNotNull",
  },
  "docker:index/container:Container": {
    inputs: ["uploads", "envs"],
    effect: "replace",
    source:
      "kreuzwerker/terraform-provider-docker v4.5.0 (5074970c, pulumi-docker's upstream), internal/provider/resource_docker_container.go: upload and env are ForceNew; pulumi/pulumi-docker @ 237b7899 provider/resources.go: docker_container DeleteBeforeReplace",
  },
  "postgresql:index/role:Role": {
    inputs: ["password"],
    effect: "update",
    source:
      "cyrilgdn/terraform-provider-postgresql @ ff936b9, postgresql/resource_postgresql_role.go: password has no ForceNew; the update runs ALTER ROLE … PASSWORD",
  },
  "aws:rds/instance:Instance": {
    inputs: ["password"],
    effect: "update",
    source:
      "AWS RDS API ModifyDBInstance: MasterUserPassword is applied asynchronously as soon as possible, regardless of ApplyImmediately (terraform-provider-aws internal/service/rds/instance.go: password is not ForceNew; not re-read at a pinned commit here)",
  },
  "aws:elasticache/user:User": {
    inputs: ["authenticationMode"],
    effect: "update",
    source:
      "hashicorp/terraform-provider-aws, internal/service/elasticache/user.go resourceUserUpdate: a changed authentication_mode is a ModifyUser call",
  },
  "kubernetes:helm.sh/v3:Release": {
    inputs: ["values"],
    effect: "update",
    source:
      "pulumi/pulumi-kubernetes helm.sh/v3 Release: changed values are a helm upgrade of the same release; valkey-io/valkey-helm valkey-0.9.4 (263d697f) templates/deploy_valkey.yaml and statefulset.yaml render podAnnotations into the pod template",
  },
  "kubernetes:core/v1:Secret": {
    inputs: ["stringData"],
    effect: "update",
    source: "Kubernetes: a Secret's data is mutable (only `immutable: true` Secrets are not)",
  },
  "kubernetes:apps/v1:StatefulSet": {
    inputs: ["spec.template.metadata.annotations"],
    effect: "update",
    source: "Kubernetes: a StatefulSet's pod template is mutable; a change is a rolling update of its pods",
  },
  "kubernetes:batch/v1:Job": {
    inputs: ["metadata.name"],
    effect: "replace",
    source:
      "pulumi/pulumi-kubernetes @ 94977969 provider/pkg/provider/provider.go Diff: a new metadata.name replaces the object",
  },
};
