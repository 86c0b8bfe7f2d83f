import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** How X-Ray and Datadog share the work of tracing. */
export enum TracingMode {
  /**
   * Datadog traces Lambda (dd-trace via the Datadog library and extension) and merges the X-Ray
   * segments of API Gateway and Step Functions into the same trace.
   * Sets `DD_TRACE_ENABLED=true` and `DD_MERGE_XRAY_TRACES=true`.
   */
  SERVERLESS = 'SERVERLESS',
  /**
   * X-Ray traces Lambda; hosts and containers run dd-trace with the Datadog Agent. The Datadog library
   * stays installed for metrics and logs with `DD_TRACE_ENABLED=false`; traces connect through the
   * shared `env` tag.
   */
  HYBRID = 'HYBRID',
}

/** Options shared by every construct and aspect of this library. */
export interface MergedTracingOptions {
  /**
   * The Datadog `env` tag (DD_ENV and the `env` resource tag). Every traced resource of one deployment
   * must carry the same value, or Datadog cannot connect the traces.
   * Datadog tag rules: lowercase, at most 200 characters of
   * letters, digits, `_`, `-`, `:`, `.` and `/`.
   */
  readonly env: string;

  /**
   * DD_SERVICE and the `service` resource tag.
   * @default - not set: Datadog names the service after the function
   */
  readonly service?: string;

  /**
   * DD_VERSION and the `version` resource tag.
   * @default - not set
   */
  readonly version?: string;

  /**
   * How tracing is split between X-Ray and Datadog.
   * @default TracingMode.SERVERLESS
   */
  readonly mode?: TracingMode;

  /**
   * The Datadog site the extension sends to (DD_SITE).
   * @default 'datadoghq.com'
   */
  readonly site?: string;

  /**
   * Secrets Manager secret holding the Datadog API key. The functions get read access to this secret only.
   * Give exactly one API key source.
   * @default - no secret
   */
  readonly apiKeySecret?: secretsmanager.ISecret;

  /**
   * Complete ARN (ending in Secrets Manager's 6-character suffix) of a secret holding the Datadog API key,
   * for secrets outside this app. The functions get read access to this secret only.
   * For a partial ARN (without the suffix), pass `apiKeySecret: Secret.fromSecretPartialArn(...)` instead:
   * a name that itself ends in `-` and 6 letters cannot be told apart from a suffix.
   * @default - no secret ARN
   */
  readonly apiKeySecretArn?: string;

  /**
   * ARN of an SSM SecureString parameter holding the Datadog API key.
   * The functions get `ssm:GetParameter` on this parameter only.
   * @default - no SSM parameter
   */
  readonly apiKeySsmArn?: string;

  /**
   * The Datadog API key encrypted with KMS (base64 ciphertext, DD_KMS_API_KEY).
   * Requires `apiKmsKeyEncryptionKey` so the decrypt grant is scoped to that one key.
   * @default - no KMS-encrypted key
   */
  readonly apiKmsKey?: string;

  /**
   * The KMS key that encrypted `apiKmsKey`; the functions get `kms:Decrypt` on it only.
   * @default - required when `apiKmsKey` is set
   */
  readonly apiKmsKeyEncryptionKey?: kms.IKey;

  /**
   * The Datadog API key in plaintext. It ends up readable in the template and in the Lambda console,
   * so it is refused unless `allowPlaintextApiKey` is true.
   * @default - no plaintext key
   */
  readonly apiKey?: string;

  /**
   * Accept `apiKey` in plaintext.
   * @default false
   */
  readonly allowPlaintextApiKey?: boolean;

  /**
   * Version of the Datadog extension layer. A version given here is used in every region; the default follows
   * Datadog's per-region list where a region lags.
   * @default 99 (98 for Datadog-Extension-ARM-FIPS in me-central-1, the newest published there)
   */
  readonly extensionLayerVersion?: number;

  /**
   * Accept layer versions (`extensionLayerVersion`, `nodeLayerVersion`, ...) newer than the newest Datadog had published
   * when this library was released (the defaults). Without it such a version is refused: a layer version that does not
   * exist in a region fails the deployment there.
   * @default false
   */
  readonly allowNewerLayerVersions?: boolean;

  /**
   * Create the X-Ray resource policy that lets SNS write the segments of actively traced topics. X-Ray allows an
   * account five resource policies, so the app gets ONE per account and region, for all the account's topics there,
   * in a stack of its own (`TraceMergingSnsXRayPolicy-<account>-<region>`) that every stack with traced topics in that
   * environment depends on. Set false when the account's policy is managed elsewhere: each stack with topics then
   * carries the warning `cdk-trace-merging:SnsXRayPolicyManagedElsewhere` with the exact policy the account needs.
   * @default true
   */
  readonly createSnsXRayResourcePolicy?: boolean;

  /**
   * Run Datadog in FIPS mode: the FIPS build of the extension (`Datadog-Extension-FIPS`,
   * `Datadog-Extension-ARM-FIPS`) and, where this differs from what Datadog's Node.js and Python libraries
   * assume in the region, `DD_LAMBDA_FIPS_MODE`. Those libraries turn FIPS mode on by themselves in
   * AWS GovCloud (US), and then need the FIPS extension. Environment-agnostic stacks without this option
   * get the FIPS extension in GovCloud and the standard one elsewhere, chosen by CloudFormation.
   * @see https://docs.datadoghq.com/serverless/aws_lambda/fips-compliance/
   * @default - true in AWS GovCloud (US) regions, false elsewhere
   */
  readonly fips?: boolean;

  /**
   * Version of the Datadog Node.js library layer (Datadog-NodeXX-x).
   * @default 142
   */
  readonly nodeLayerVersion?: number;

  /**
   * Version of the Datadog Python library layer (Datadog-PythonXY).
   * @default 127
   */
  readonly pythonLayerVersion?: number;

  /**
   * Version of the Datadog Ruby library layer (Datadog-Ruby3-X, Datadog-Ruby4-0).
   * @default 30
   */
  readonly rubyLayerVersion?: number;

  /**
   * Version of the Datadog Java layer (dd-trace-java).
   * @default 27
   */
  readonly javaLayerVersion?: number;

  /**
   * Version of the Datadog .NET layer (dd-trace-dotnet).
   * @default 25
   */
  readonly dotnetLayerVersion?: number;

  /**
   * Extra Datadog tags (DD_TAGS, `key:value` pairs joined by commas).
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * DD_LOG_LEVEL of the Datadog library and extension (e.g. `debug`, `info`, `warn`, `error`).
   * @default - not set (Datadog's default)
   */
  readonly logLevel?: string;

  /**
   * Functions to leave alone.
   *
   * `tracing: lambda.Tracing.DISABLED` on a `lambda.Function` does not keep it out: aws-cdk-lib renders
   * nothing for DISABLED and offers no public way to read the prop back, so merged tracing cannot tell it
   * from "not set" and turns X-Ray on. List such functions here (or their paths in `excludeConstructPaths`).
   * @default - none
   */
  readonly excludeFunctions?: lambda.IFunction[];

  /**
   * Construct paths to leave alone: a function, REST API stage, state machine, GraphQL API or SNS topic whose
   * path equals one of these, or lies below it, is skipped.
   * @default - none
   */
  readonly excludeConstructPaths?: string[];
}
