import type { Rule } from "../model";
import {
  elastiCacheEncryptedAtRest,
  elastiCacheEncryptedInTransit,
  rdsForceSsl,
  rdsStorageEncrypted,
  s3DefaultEncryption,
  s3TlsOnly,
} from "./encryption";
import { evidenceObjectLock } from "./evidence";
import { dockerDataPortsNotPublic, rdsNotPublic, s3PublicAccessBlocked } from "./exposure";
import { imagesPinnedByDigest, sealedImagesFromMirror } from "./images";
import { productionDeletionProtection, productionStatefulProtect } from "./production";
import { valkeyNoEviction } from "./valkey";

/** Every rule of the pack, in the order reports list them. */
export const RULES: readonly Rule[] = [
  rdsStorageEncrypted,
  elastiCacheEncryptedAtRest,
  s3DefaultEncryption,
  elastiCacheEncryptedInTransit,
  s3TlsOnly,
  rdsForceSsl,
  rdsNotPublic,
  s3PublicAccessBlocked,
  dockerDataPortsNotPublic,
  imagesPinnedByDigest,
  sealedImagesFromMirror,
  valkeyNoEviction,
  productionDeletionProtection,
  productionStatefulProtect,
  evidenceObjectLock,
];
