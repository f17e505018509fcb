import * as aws from "../sdk/aws";
import * as pulumi from "@pulumi/pulumi";

export interface S3CompatibleProviderArgs {
  /** Base URL of the S3 API, e.g. http://127.0.0.1:8080. */
  readonly endpoint: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly accessKey: pulumi.Input<string>;
  /** Wrapped with pulumi.secret here, whatever the caller passes. */
  readonly secretKey: pulumi.Input<string>;
}

/**
 * An aws provider that speaks S3 to a non-AWS server (RustFS, any S3-compatible endpoint): path-style addressing,
 * and the checks that only make sense against AWS itself (STS credential validation, account-id lookup, EC2
 * metadata, region names) turned off, so nothing tries to reach amazonaws.com.
 */
export function s3CompatibleProvider(
  name: string,
  args: S3CompatibleProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.Provider {
  return new aws.Provider(
    name,
    {
      region: args.region,
      accessKey: args.accessKey,
      secretKey: pulumi.secret(args.secretKey),
      endpoints: [{ s3: args.endpoint }],
      s3UsePathStyle: true,
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: true,
      skipRegionValidation: true,
    },
    opts,
  );
}
