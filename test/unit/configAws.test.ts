import { describe, expect, it } from "vitest";
import { configProblems } from "../harness/configProblems";

/**
 * AWS settings that AWS itself would refuse half-way through `pulumi up` are refused at load, each at its key.
 * Rules: RDS ModifyDBInstance (windows of at least 30 minutes, MaxAllocatedStorage above AllocatedStorage),
 * ElastiCache (windows of at least 60 minutes), EC2 CIDRs, AWS tag rules (key 1-128, value 0-256, no "aws:").
 */

const NETWORK = {
  region: "eu-west-1",
  vpcId: "vpc-0a1b2c3d4e5f60718",
  subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60aaa"],
};
const aws = (extra: Record<string, unknown>) =>
  configProblems({ profile: "aws", objectStore: { bucketPrefix: "acme-test-" }, aws: { ...NETWORK, ...extra } });
const keysOf = (problems: string[]) => problems.map((p) => p.slice(0, p.indexOf(": ")));

describe("AWS settings AWS would refuse", () => {
  it("accepts the example's shape and real windows", () => {
    expect(
      aws({
        postgres: { backupWindow: "23:30-00:15", maintenanceWindow: "sun:23:30-mon:00:30" },
        valkey: { snapshotWindow: "03:00-04:00", maintenanceWindow: "sat:05:00-sat:06:00" },
        tags: { "cost-center": "security platform", "team/owner": "ops@example.com" },
      }),
    ).toEqual([]);
  });

  it("refuses impossible or too short windows, each at its key", () => {
    expect(
      keysOf(
        aws({
          postgres: { backupWindow: "99:99-99:99", maintenanceWindow: "sun:03:00-sun:03:10" },
          valkey: { snapshotWindow: "03:00-03:30", maintenanceWindow: "xyz:05:00-xyz:06:00" },
        }),
      ),
    ).toEqual([
      "stellaops-infra:aws.postgres.backupWindow",
      "stellaops-infra:aws.postgres.maintenanceWindow",
      "stellaops-infra:aws.valkey.snapshotWindow",
      "stellaops-infra:aws.valkey.maintenanceWindow",
    ]);
  });

  it("refuses a storage-autoscaling ceiling not above the allocated storage, and allows 0 (off)", () => {
    expect(aws({ postgres: { allocatedStorageGb: 100, maxAllocatedStorageGb: 100 } })).toEqual([
      "stellaops-infra:aws.postgres.maxAllocatedStorageGb: must be above allocatedStorageGb (100), or 0 to turn storage autoscaling off",
    ]);
    expect(aws({ postgres: { allocatedStorageGb: 100, maxAllocatedStorageGb: 0 } })).toEqual([]);
  });

  it("refuses a network that lets nothing reach the data services (the one home of that rule)", () => {
    expect(aws({ allowedSecurityGroupIds: [], allowedCidrs: [] })).toEqual([
      "stellaops-infra:aws.allowedSecurityGroupIds: set allowedSecurityGroupIds or allowedCidrs: otherwise nothing could reach the data services",
    ]);
    expect(aws({ allowedSecurityGroupIds: [], allowedCidrs: ["10.0.0.0/16"] })).toEqual([]);
  });

  it("refuses CIDRs that are no IPv4 network, and 0.0.0.0/0 without the explicit opt-in", () => {
    expect(keysOf(aws({ allowedCidrs: ["999.1.1.1/24", "10.0.0.0/33", "10.0.0.0/16"] }))).toEqual([
      "stellaops-infra:aws.allowedCidrs[0]",
      "stellaops-infra:aws.allowedCidrs[1]",
    ]);
    expect(aws({ allowedCidrs: ["0.0.0.0/0"] })).toEqual([
      expect.stringMatching(
        /^stellaops-infra:aws\.allowedCidrs\[0\]: 0\.0\.0\.0\/0 lets every address .*aws\.allowAllAddresses: true/,
      ),
    ]);
    expect(aws({ allowedCidrs: ["0.0.0.0/0"], allowAllAddresses: true })).toEqual([]);
  });

  it("refuses tags AWS refuses: the reserved aws: prefix, over-long keys and values, odd characters", () => {
    expect(
      keysOf(aws({ tags: { "aws:owner": "x", ["k".repeat(129)]: "x", long: "v".repeat(257), "semi;colon": "x" } })),
    ).toEqual([
      "stellaops-infra:aws.tags.aws:owner",
      `stellaops-infra:aws.tags.${"k".repeat(129)}`,
      "stellaops-infra:aws.tags.long",
      "stellaops-infra:aws.tags.semi;colon",
    ]);
  });
});
