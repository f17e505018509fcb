export { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
