import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** Fake provider outputs for the postgres area: every output the program reads must be listed here. */
export const postgresFakeOutputs: FakeOutputTable = {
  // RDS computes the endpoint; the program reads address, port and username (the rest are inputs).
  "aws:rds/instance:Instance": (name, inputs) => {
    const identifier = String(inputs["identifier"] ?? name);
    const address = `${identifier}.c0ffee000000.eu-west-1.rds.amazonaws.com`;
    return {
      address,
      endpoint: `${address}:${String(inputs["port"] ?? 5432)}`,
      port: inputs["port"] ?? 5432,
      arn: `arn:aws:rds:eu-west-1:123456789012:db:${identifier}`,
      engineVersionActual: String(inputs["engineVersion"] ?? ""),
    };
  },
  "aws:rds/subnetGroup:SubnetGroup": (name, inputs) => ({ name: inputs["name"] ?? name }),
  "aws:rds/parameterGroup:ParameterGroup": (name, inputs) => ({ name: inputs["name"] ?? name }),
  "postgresql:index/role:Role": (name, inputs) => ({ name: inputs["name"] ?? name }),
  "postgresql:index/database:Database": (name, inputs) => ({ name: inputs["name"] ?? name }),
  "postgresql:index/schema:Schema": (name, inputs) => ({ name: inputs["name"] ?? name }),
};

export const postgresFakeInvokes: FakeInvokeTable = {};
