import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { MergedTracingError } from '../../common/errors';

/**
 * EC2 takes at most 16 KB of user data "in raw form, before it is base64-encoded" (EC2 User Guide, "Work with instance
 * user data"); more synthesizes and deploys, and fails when an instance launches.
 */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/**
 * The host's user data, once the app is built (the host's own commands may come after the Agent's), measured against
 * EC2's limit: a refusal naming the host and the sizes, or undefined. A value only known at deployment counts as
 * nothing, so the size is a lower bound and a refusal is always right.
 */
export function userDataSizeProblem(scope: IConstruct, host: IConstruct, userData: ec2.UserData): string | undefined {
  const { bytes, deployTimeValues } = measured(Stack.of(host).resolve(userData.render()));
  if (bytes <= MAX_USER_DATA_BYTES) return undefined;
  const atLeast = deployTimeValues > 0 ? ` at least (${deployTimeValues} values are only known at deployment)` : '';
  return new MergedTracingError(scope.node.path,
    `the user data of ${host.node.path} is ${bytes} bytes${atLeast} with the Datadog Agent setup (${Math.ceil(bytes / 3) * 4} after base64), ` +
    `over EC2's limit of ${MAX_USER_DATA_BYTES} bytes before base64: the instances would fail to launch.`,
    "Move the host's own setup into a script it downloads at boot (an S3 asset, ec2.UserData.addS3DownloadCommand) to make room.").message;
}

/** Bytes of a resolved value: a string, or Fn::Join of strings; any other intrinsic counts as zero bytes. */
function measured(value: unknown): { bytes: number; deployTimeValues: number } {
  if (typeof value === 'string') return { bytes: Buffer.byteLength(value, 'utf-8'), deployTimeValues: 0 };
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join) return { bytes: 0, deployTimeValues: 1 };
  const [separator, parts] = join;
  return parts.map(measured).reduce(
    (sum, part) => ({ bytes: sum.bytes + part.bytes, deployTimeValues: sum.deployTimeValues + part.deployTimeValues }),
    { bytes: Buffer.byteLength(separator, 'utf-8') * Math.max(parts.length - 1, 0), deployTimeValues: 0 });
}
