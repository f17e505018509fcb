import { natsAppUserSpecs } from "../components/nats/model";
import { buildLayout } from "../components/postgres/model";
import { rotationId, unknownRotationIds } from "../components/rotation";
import { appAclUsers, serverAclUsers } from "../components/valkey/model";
import { configKey, type ConfigProblem } from "./configErrors";
import type { StackConfig } from "./config";

/**
 * Every credential this stack generates, by rotation id, asked of the same pure functions the components use:
 * the ids `stellaops-infra:rotation` may name. Credentials that come from config (an existing server's admin
 * password, external.valkey.appPassword) are rotated by changing that config, so they have no id here.
 */
export function rotatableCredentialIds(cfg: StackConfig): string[] {
  const optional = cfg.services.optional;
  const ids: string[] = [];
  if (cfg.profile !== "external") ids.push(rotationId.postgresAdmin);
  ids.push(...buildLayout(cfg.postgres, optional).roles.map((role) => rotationId.postgresRole(role.service)));

  const operatorManagedValkey = cfg.profile === "external" && cfg.external.valkey.appPassword !== undefined;
  if (!operatorManagedValkey) {
    ids.push(...appAclUsers(cfg.valkey, optional).map((user) => rotationId.valkeyAppUser(user.name)));
  }
  ids.push(...valkeyServerRoles(cfg).map((role) => rotationId.valkeyServerUser(role)));

  if (cfg.profile === "docker" || cfg.profile === "kubernetes") ids.push(rotationId.objectStoreRoot);

  if (cfg.nats.enabled && (cfg.profile === "docker" || cfg.profile === "kubernetes")) {
    ids.push(rotationId.natsAdmin);
    if (cfg.profile === "kubernetes" && cfg.kubernetes.nats.replicas > 1) ids.push(rotationId.natsRoute);
    ids.push(...natsAppUserSpecs(cfg.nats, optional).map((spec) => rotationId.natsAppUser(spec.name)));
  }
  return ids;
}

/** Valkey users the server itself needs and this program generates a password for (Docker's default has none). */
function valkeyServerRoles(cfg: StackConfig): string[] {
  const admin = cfg.valkey.adminUser;
  switch (cfg.profile) {
    case "docker":
      return serverAclUsers({ platform: "docker" }, admin)
        .map((u) => u.role)
        .filter((role) => role !== "default");
    case "kubernetes":
      return serverAclUsers({ platform: "kubernetes", replicas: cfg.kubernetes.valkey.replicas }, admin).map(
        (u) => u.role,
      );
    case "aws":
      return serverAclUsers({ platform: "aws" }, admin).map((u) => u.role);
    case "external":
      return [];
  }
}

/** `rotation` keys this stack does not have. Token shapes are the schema's job (profiles/config.ts). */
export function rotationProblems(cfg: StackConfig): ConfigProblem[] {
  const given = Object.keys(cfg.rotation);
  if (given.length === 0) return [];
  let allowed: string[];
  try {
    allowed = rotatableCredentialIds(cfg);
  } catch {
    // The layout or ACL settings are invalid; their own rules report that, and the ids cannot be known yet.
    return [];
  }
  return unknownRotationIds(cfg.rotation, allowed).map((id) => ({
    key: configKey(["rotation", id]),
    message: `no credential "${id}" in this stack; rotatable credentials: ${allowed.join(", ")}`,
  }));
}
