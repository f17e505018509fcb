/** The Valkey area's wiring surface for the profiles. */
export { ValkeyAppUsers, type ValkeyAppUsersArgs } from "./appUsers";
export { ValkeyElastiCache, type ValkeyElastiCacheArgs } from "./aws";
export { valkeyServiceConnections, type ValkeyServiceConnection } from "./connections";
export { ValkeyDockerServer, type ValkeyDockerServerArgs } from "./docker";
export { ValkeyExternalServer, type ValkeyExternalServerArgs } from "./external";
export { ValkeyKubernetesServer, type ValkeyKubernetesServerArgs } from "./kubernetes";
