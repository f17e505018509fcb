import * as pulumi from "@pulumi/pulumi";
import { ServerComponent } from "../contract";
import { parseS3Url, s3BaseUrl, type ObjectStoreServer } from "./server";
import type { ObjectStoreExternalSettings } from "./settings";

export interface ObjectStoreExternalServerArgs {
  readonly external: ObjectStoreExternalSettings;
}

/**
 * An existing S3-compatible server: nothing is created. Its flavor (rustfs or generic-s3) selects which bucket
 * features are attempted; the access key and secret key from config are what this program and the services use.
 */
export class ObjectStoreExternalServer extends ServerComponent implements ObjectStoreServer {
  public readonly backend: ObjectStoreServer["backend"];
  public readonly region: pulumi.Output<string>;
  public readonly pathStyle: boolean;
  public readonly https: boolean;
  public readonly serviceUrl: pulumi.Output<string>;
  public readonly adminUrl: pulumi.Output<string>;

  constructor(name: string, args: ObjectStoreExternalServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:objectStore:ExternalServer", name, {}, opts);
    const ext = args.external;
    const service = parseS3Url(ext.endpoint);
    const admin = parseS3Url(ext.adminEndpoint ?? ext.endpoint);
    this.backend = ext.flavor;
    this.pathStyle = ext.pathStyle;
    this.https = service.https;
    this.serve({
      endpoint: { host: pulumi.output(service.host), port: pulumi.output(service.port) },
      adminEndpoint: { host: pulumi.output(admin.host), port: pulumi.output(admin.port) },
      admin: { username: pulumi.secret(ext.accessKey), password: pulumi.secret(ext.secretKey) },
      tls: pulumi.output(service.https),
    });
    this.serviceUrl = s3BaseUrl(service.https, service.host, service.port);
    this.adminUrl = s3BaseUrl(admin.https, admin.host, admin.port);
    this.region = pulumi.output(ext.region);
    this.registerOutputs({ endpoint: this.endpoint, serviceUrl: this.serviceUrl, tls: this.tls });
  }
}
