export { Release } from "@pulumi/kubernetes/helm/v3/release";
