export * as v3 from "./helmV3";
