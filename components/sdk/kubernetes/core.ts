export * as v1 from "./coreV1";
