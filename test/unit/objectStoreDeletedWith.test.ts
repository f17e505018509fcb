import { describe, expect, it } from "vitest";
import { planStack, type PlanResource } from "../../plan/offlinePlan";
import { exampleStacks } from "../../plan/stackFiles";
import { profileOf } from "../harness/stackOverrides";

/**
 * Buckets on a RustFS server this program runs are deleted with that server, so a destroy never tries to delete
 * them one by one (the first non-empty bucket would fail it). Amazon S3 is the server itself, and an existing
 * server is not ours: there, bucket resources keep ordinary deletes.
 */

/** The RustFS resource whose deletion takes the buckets: the container on Docker, the StatefulSet on Kubernetes. */
const SERVER_BY_PROFILE: Record<string, { type: string; name: string } | null> = {
  docker: { type: "docker:index/container:Container", name: "rustfs-server" },
  kubernetes: { type: "kubernetes:apps/v1:StatefulSet", name: "rustfs-server" },
  aws: null,
  external: null,
};

/** Every bucket and bucket configuration resource, and the IAM policies beside them. */
function bucketResources(resources: PlanResource[]): PlanResource[] {
  return resources.filter((r) => r.type.startsWith("aws:s3/") || r.type === "aws:iam/policy:Policy");
}

describe.each(exampleStacks())("deletedWith on buckets (%s)", (stack) => {
  it("is the RustFS server on Docker and Kubernetes, and absent on AWS S3 and external stores", async () => {
    const plan = await planStack(stack);
    const profile = profileOf(stack);
    const buckets = bucketResources(plan.resources);
    expect(buckets.filter((r) => r.type === "aws:s3/bucket:Bucket").length).toBeGreaterThan(0);
    const server = SERVER_BY_PROFILE[profile];
    if (server === null) {
      expect(buckets.map((r) => [r.name, r.options.deletedWith])).toEqual(buckets.map((r) => [r.name, null]));
      return;
    }
    const matches = plan.resources.filter((r) => r.type === server.type && r.name === server.name);
    expect(matches).toHaveLength(1);
    expect(buckets.map((r) => [r.name, r.options.deletedWith])).toEqual(buckets.map((r) => [r.name, matches[0].urn]));
  });
});
