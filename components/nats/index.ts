/** The NATS area's wiring surface for the profiles. */
export { NatsAppUsers, type NatsAppUsersArgs } from "./appUsers";
export { natsExternalConnections, natsServiceConnections, type NatsServiceConnection } from "./connections";
export { NatsDockerServer, type NatsDockerServerArgs } from "./docker";
export { NatsKubernetesServer, type NatsKubernetesServerArgs } from "./kubernetes";
