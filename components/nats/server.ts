/** The port nats-server listens on for clients inside containers and pods (its default, which the nats chart keeps). */
export const NATS_CLIENT_PORT = 4222;
