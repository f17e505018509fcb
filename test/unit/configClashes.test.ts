import { describe, expect, it } from "vitest";
import { configProblems as problemsOf } from "../harness/configProblems";
import { assertUniqueUrns, DuplicateUrnError } from "../../plan/engine/recorder";

/** Two things claiming one port or one Service name are refused at load, at the later key, naming the earlier. */

describe("clashes", () => {
  it("refuses two Docker servers on one host port, including the console and NATS ports when they are on", () => {
    expect(
      problemsOf({
        profile: "docker",
        nats: { enabled: true },
        docker: {
          valkey: { hostPort: 5432 },
          objectStore: { consoleEnabled: true, consoleHostPort: 8080 },
          nats: { monitorHostPort: 5432 },
        },
      }),
    ).toEqual([
      "stellaops-infra:docker.valkey.hostPort: host port 5432 is already taken by stellaops-infra:docker.postgres.hostPort; give each its own",
      "stellaops-infra:docker.objectStore.consoleHostPort: host port 8080 is already taken by stellaops-infra:docker.objectStore.hostPort; give each its own",
      "stellaops-infra:docker.nats.monitorHostPort: host port 5432 is already taken by stellaops-infra:docker.postgres.hostPort; give each its own",
    ]);
    // The console port is not published while the console is off.
    expect(problemsOf({ profile: "docker", docker: { objectStore: { consoleHostPort: 8080 } } })).toEqual([]);
  });

  it("refuses a NATS monitoring port equal to the client or cluster port", () => {
    for (const monitorPort of [4222, 6222]) {
      expect(problemsOf({ profile: "docker", nats: { enabled: true, monitorPort } })).toEqual([
        expect.stringMatching(
          /^stellaops-infra:nats\.monitorPort: port \d+ is already taken by nats-server's (client|cluster) port/,
        ),
      ]);
    }
  });

  it("refuses two Kubernetes Services with one name in the namespace", () => {
    const k8s = (kubernetes: Record<string, unknown>) =>
      problemsOf({
        profile: "kubernetes",
        nats: { enabled: true },
        kubernetes: { runsInCluster: true, ...kubernetes },
      });
    expect(k8s({ valkey: { releaseName: "shared" }, nats: { releaseName: "shared" } })).toEqual([
      "stellaops-infra:kubernetes.nats.releaseName: Service name shared is already taken by stellaops-infra:kubernetes.valkey.releaseName; give each its own",
      "stellaops-infra:kubernetes.nats.releaseName: Service name shared-headless is already taken by stellaops-infra:kubernetes.valkey.releaseName; give each its own",
    ]);
    expect(k8s({ valkey: { releaseName: "rustfs" } })).toEqual([
      "stellaops-infra:kubernetes.valkey.releaseName: Service name rustfs is already taken by the RustFS server; give each its own",
    ]);
    expect(k8s({ postgres: { clusterName: "db" }, nats: { releaseName: "db-rw" } })).toHaveLength(1);
    expect(k8s({})).toEqual([]);
  });

  it("refuses a subnet, security group or CIDR listed twice (each is one resource: one URN twice)", () => {
    const problems = problemsOf({
      profile: "aws",
      aws: {
        region: "eu-west-1",
        vpcId: "vpc-0a1b2c3d4e5f60718",
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"],
        allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60aaa", "sg-0a1b2c3d4e5f60aaa"],
        allowedCidrs: ["10.0.0.0/16", "10.1.0.0/16", "10.0.0.0/16"],
      },
    });
    expect(problems).toEqual([
      'stellaops-infra:aws.subnetIds[1]: "subnet-0a1b2c3d4e5f60001" is listed twice; list each once',
      'stellaops-infra:aws.allowedSecurityGroupIds[1]: "sg-0a1b2c3d4e5f60aaa" is listed twice; list each once',
      'stellaops-infra:aws.allowedCidrs[2]: "10.0.0.0/16" is listed twice; list each once',
    ]);
  });

  it("the offline plan refuses two resources under one URN, as the engine does", () => {
    const urn = "urn:pulumi:dev::stellaops-infra::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::x";
    expect(() => assertUniqueUrns([{ urn }, { urn: `${urn}2` }])).not.toThrow();
    expect(() => assertUniqueUrns([{ urn }, { urn: `${urn}2` }, { urn }])).toThrow(DuplicateUrnError);
  });
});
