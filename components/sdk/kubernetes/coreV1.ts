export { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
export { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
export { PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1/persistentVolumeClaim";
export { Secret } from "@pulumi/kubernetes/core/v1/secret";
export { Service } from "@pulumi/kubernetes/core/v1/service";
