import { createHash } from "node:crypto";
import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** A short tag of a random resource's keepers ("" without any), so its fake value changes when they do. */
function keepersTag(inputs: Record<string, unknown>): string {
  const keepers = inputs["keepers"];
  if (keepers === undefined || keepers === null) return "";
  return `k${createHash("sha256").update(JSON.stringify(keepers)).digest("hex").slice(0, 8)}-`;
}

/**
 * Outputs of resources several areas use: random credentials, Docker and Kubernetes plumbing, AWS security groups.
 * A token is listed in one table only: a later table in fakes/index.ts would silently shadow an earlier one.
 */
export const coreFakeOutputs: FakeOutputTable = {
  "aws:ec2/securityGroup:SecurityGroup": (name, inputs) => ({
    arn: `arn:aws:ec2:eu-west-1:123456789012:security-group/${name}`,
    name: inputs["name"] ?? name,
  }),
  "random:index/randomPassword:RandomPassword": (name, inputs) => ({
    // Deterministic, recognisable, long enough for any validator; never a real credential. A function of the
    // keepers too, as the real provider's value is: a changed rotation token gives a new password.
    result: `fake-password-${name}-${keepersTag(inputs)}${"x".repeat(Number(inputs["length"] ?? 32))}`.slice(
      0,
      Number(inputs["length"] ?? 32) + 40,
    ),
    bcryptHash: `$2a$10$fake.${keepersTag(inputs)}${name}`,
  }),
  "random:index/randomString:RandomString": (name, inputs) => ({
    result: `fake${keepersTag(inputs)}${name.replace(/[^a-z0-9]/gi, "")}`
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")
      .slice(0, Number(inputs["length"] ?? 16)),
  }),
  "docker:index/network:Network": (name, inputs) => ({ name: inputs["name"] ?? name }),
  "docker:index/volume:Volume": (name, inputs) => ({
    name: inputs["name"] ?? name,
    mountpoint: `/var/lib/docker/volumes/${name}/_data`,
  }),
  "docker:index/remoteImage:RemoteImage": (_name, inputs) => ({
    imageId: `sha256:${"0".repeat(64)}`,
    repoDigest: inputs["name"],
  }),
  "docker:index/container:Container": (name) => ({ hostname: name, exitCode: 0 }),
  "kubernetes:core/v1:Namespace": (name, inputs) => ({
    metadata: { ...(inputs["metadata"] as object), name: (inputs["metadata"] as { name?: string })?.name ?? name },
  }),
};

export const coreFakeInvokes: FakeInvokeTable = {};
