export * as v1 from "./appsV1";
