import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** Fake provider outputs for the objectStore area: every output the program reads must be listed here. */
export const objectStoreFakeOutputs: FakeOutputTable = {
  // The provider computes a bucket's ARN from its name; policies are built from it.
  "aws:s3/bucket:Bucket": (name, inputs) => {
    const bucket = String(inputs["bucket"] ?? name);
    return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.amazonaws.com` };
  },
  "aws:iam/policy:Policy": (name, inputs) => {
    const policyName = String(inputs["name"] ?? name);
    return { arn: `arn:aws:iam::123456789012:policy/${policyName}`, policyId: `ANPA${policyName.length}FAKE` };
  },
};

export const objectStoreFakeInvokes: FakeInvokeTable = {};
