export * as v1 from "./networkingV1";
