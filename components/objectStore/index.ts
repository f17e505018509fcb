/** The object storage area's wiring surface for the profiles. */
export { Buckets, type AwsBucketsTarget, type BucketsArgs, type ServerBucketsTarget } from "./buckets";
export { bucketNameProblems, bucketNameViolation, bucketPrefixViolation, fullBucketNames } from "./bucketNames";
export {
  backendProblems,
  CAPABILITIES,
  OBJECT_STORE_BACKENDS,
  skippedFeatures,
  type Capabilities,
  type ObjectStoreBackend,
} from "./capabilities";
export {
  objectStoreServiceConnection,
  type ObjectStoreEndpoint,
  type ObjectStoreServiceConnection,
} from "./connections";
export { ObjectStoreDockerServer, type ObjectStoreDockerServerArgs } from "./docker";
export { ObjectStoreExternalServer, type ObjectStoreExternalServerArgs } from "./external";
export { ObjectStoreKubernetesServer, type ObjectStoreKubernetesServerArgs } from "./kubernetes";
export { buildObjectStoreLayout, resolveAwsEncryption, type ObjectStoreLayout } from "./model";
export { serviceAccessPolicy, tlsOnlyBucketPolicy } from "./renderPolicies";
export { s3CompatibleProvider, type S3CompatibleProviderArgs } from "./provider";
export type { ObjectStoreServer } from "./server";
