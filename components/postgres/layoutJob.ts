import * as k8s from "../sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { KubernetesPlatform } from "../platform";
import { credentialFingerprintOutput, type RotationTokens } from "../rotation";
import { serviceConnection, type PostgresServiceConnection } from "./connections";
import { buildLayout, type PostgresLayout } from "./model";
import { rolePasswords, roleVerifiers } from "./passwords";
import type { PostgresServer } from "./server";
import type { PostgresKubernetesSettings, PostgresSettings } from "./settings";
import { renderLayoutSql, scriptHash } from "./renderSql";

export interface PostgresLayoutJobArgs {
  /** The in-cluster server (PostgresKubernetesServer); the Job connects to its endpoint. */
  readonly server: PostgresServer;
  readonly platform: KubernetesPlatform;
  readonly settings: PostgresSettings;
  /** `stellaops-infra:kubernetes.postgres` (cluster name, Job image and bounds). */
  readonly kubernetes: PostgresKubernetesSettings;
  /** Optional StellaOps services enabled in the stack config (`services.optional`). */
  readonly optionalServices: readonly string[];
  /** `stellaops-infra:rotation`: `postgres.roles.<service>` renews that role's password (and reruns the Job). */
  readonly rotation?: RotationTokens;
}

/**
 * The provider's Job annotation (pulumi-kubernetes provider/pkg/metadata/annotations.go AnnotationReplaceUnready;
 * provider/pkg/provider/provider.go Diff @ 94977969, the same doc comment in the 4.34.2 SDK's batch/v1/job.d.ts):
 * when the live Job is not ready (failed) at the next update, the provider plans a replacement instead of
 * awaiting the same failed Job again, so one failed run no longer blocks every later `pulumi up`.
 */
export const REPLACE_UNREADY_ANNOTATION = "pulumi.com/replaceUnready";

/** Time the provider needs after the Job's own deadline to see it fail and report it. */
const AWAIT_MARGIN_SECONDS = 300;

/**
 * The Job's create/update timeout: longer than activeDeadlineSeconds, so the provider reports the Job's own
 * failure (DeadlineExceeded, or its backoff limit) rather than giving up first (its default await is 10 minutes).
 */
export function layoutJobTimeout(activeDeadlineSeconds: number): string {
  return `${activeDeadlineSeconds + AWAIT_MARGIN_SECONDS}s`;
}

/**
 * The Job's name suffix: the script's hash and a fingerprint of the role verifiers, so the Job runs again when
 * the script changes or a role password is rotated (the script sets each password from its variable).
 */
export function layoutJobSuffix(scriptHash: string, credentialsFingerprint: string): string {
  return createHash("sha256").update(`${scriptHash}\n${credentialsFingerprint}`).digest("hex").slice(0, 10);
}

/** Environment variable holding a psql variable's value inside the Job: pw_evidence_locker → PW_EVIDENCE_LOCKER. */
export function envNameFor(variable: string): string {
  return variable.toUpperCase();
}

/** The Job's shell command: psql with one `-v` per password, each read from the environment (never in the spec). */
export function layoutJobCommand(variables: readonly string[], scriptPath: string): string[] {
  const vars = variables.map((v) => `-v ${v}="$${envNameFor(v)}"`).join(" ");
  return ["/bin/sh", "-c", `exec psql -X -v ON_ERROR_STOP=1 ${vars} -f ${scriptPath}`];
}

/**
 * The layout applied inside the cluster: the SQL rendering (renderSql.ts) in a ConfigMap, the role passwords (as SCRAM
 * verifiers) and the admin password in a Secret, and a Job running psql against the server. The Job's name
 * carries a hash of the script and of the role verifiers, so it runs again exactly when the script changes or a
 * role password is rotated; a failed Job is replaced at the next `up` (replaceUnready). This is how the layout is
 * applied on the kubernetes profile: the program cannot reach the cluster's PostgreSQL, the Job can.
 */
export class PostgresLayoutJob extends pulumi.ComponentResource {
  public readonly layout: PostgresLayout;
  public readonly script: string;
  public readonly job: k8s.batch.v1.Job;
  /** Per StellaOps service id: host, port, database, username, password (secret), connectionString (secret). */
  public readonly connections: Record<string, PostgresServiceConnection>;

  constructor(name: string, args: PostgresLayoutJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:postgres:LayoutJob", name, {}, opts);
    const { server, platform } = args;
    const settings = args.kubernetes;
    this.layout = buildLayout(args.settings, args.optionalServices);
    this.script = renderLayoutSql(this.layout);
    const hash = scriptHash(this.script);
    const baseName = `${settings.clusterName}-layout`;
    const labels = {
      ...platform.labels,
      "app.kubernetes.io/name": "postgres-layout",
      "app.kubernetes.io/component": "database",
    };
    const on = { parent: this, provider: platform.provider, dependsOn: server.readyResources };

    const passwords = rolePasswords(name, this.layout, { parent: this }, args.rotation);

    const scriptMap = new k8s.core.v1.ConfigMap(
      `${name}-script`,
      {
        metadata: { name: `${baseName}-${hash}`, namespace: platform.namespace, labels },
        data: { "layout.sql": this.script },
      },
      on,
    );

    const verifierOf = roleVerifiers(this.layout, passwords);
    const verifiers = Object.fromEntries(
      this.layout.roles.map((role) => [envNameFor(role.passwordVariable), verifierOf[role.service]]),
    );
    const jobName = credentialFingerprintOutput(verifiers).apply(
      (fingerprint) => `${baseName}-${layoutJobSuffix(hash, fingerprint)}`,
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: `${baseName}-credentials`, namespace: platform.namespace, labels },
        type: "Opaque",
        stringData: { PGPASSWORD: pulumi.secret(server.admin.password), ...verifiers },
      },
      on,
    );

    this.job = new k8s.batch.v1.Job(
      `${name}-job`,
      {
        metadata: {
          name: jobName,
          namespace: platform.namespace,
          labels,
          annotations: { [REPLACE_UNREADY_ANNOTATION]: "true" },
        },
        spec: {
          backoffLimit: settings.layoutJobBackoffLimit,
          activeDeadlineSeconds: settings.layoutJobDeadlineSeconds,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: "Never",
              ...(platform.imagePullSecrets.length > 0
                ? { imagePullSecrets: platform.imagePullSecrets.map((n) => ({ name: n })) }
                : {}),
              // uid 26 is postgres in the CloudNativePG images.
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 26,
                runAsGroup: 26,
                seccompProfile: { type: "RuntimeDefault" },
              },
              containers: [
                {
                  name: "psql",
                  image: settings.layoutJobImage ?? settings.imageName,
                  command: layoutJobCommand(
                    this.layout.roles.map((r) => r.passwordVariable),
                    "/layout/layout.sql",
                  ),
                  env: [
                    { name: "PGHOST", value: server.endpoint.host },
                    { name: "PGPORT", value: server.endpoint.port.apply(String) },
                    { name: "PGUSER", value: server.admin.username },
                    { name: "PGDATABASE", value: "postgres" },
                    { name: "PGSSLMODE", value: server.tls.apply((tls) => (tls ? "require" : "disable")) },
                    { name: "PGCONNECT_TIMEOUT", value: "15" },
                    { name: "PGAPPNAME", value: "stellaops-infra-layout" },
                  ],
                  envFrom: [{ secretRef: { name: secret.metadata.name } }],
                  volumeMounts: [{ name: "script", mountPath: "/layout", readOnly: true }],
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                  },
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                },
              ],
              volumes: [{ name: "script", configMap: { name: scriptMap.metadata.name } }],
            },
          },
        },
      },
      // A Job's template is immutable: any other change replaces it under the same name.
      {
        ...on,
        deleteBeforeReplace: true,
        customTimeouts: {
          create: layoutJobTimeout(settings.layoutJobDeadlineSeconds),
          update: layoutJobTimeout(settings.layoutJobDeadlineSeconds),
        },
      },
    );

    // Usernames come out through the Job, so whatever consumes a connection waits until the roles exist.
    const afterJob = <T>(value: T) => this.job.metadata.apply(() => value);
    this.connections = Object.fromEntries(
      this.layout.roles.map((role) => [
        role.service,
        serviceConnection({
          endpoint: server.endpoint,
          tls: server.tls,
          database: role.database,
          username: afterJob(role.name),
          password: passwords[role.service].result,
        }),
      ]),
    );

    this.registerOutputs({ connections: this.connections, scriptHash: hash });
  }
}
