export * as v1 from "./batchV1";
