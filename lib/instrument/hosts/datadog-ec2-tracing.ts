import { CfnResource, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { agentUserData } from './agent-user-data';
import { bootApiKeyLines, grantBootApiKeyRead } from './boot-api-key';
import { HostTracer } from './host-tracer';
import { userDataSizeProblem } from './user-data-size';
import { TraceMergingCheckOptions } from '../../check/check-options';
import { MergedTracingChecker } from '../../check/merged-tracing-checker';
import { failAt, refuseOnceBuilt } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { HiddenProperty } from '../../common/hidden-property';
import { markHostTracer, markTracedHost, TracedHost } from '../../common/traced-hosts';
import { resolveTracingConfig, TracingConfig } from '../../config';
import { injectStylesFor } from '../../datadog/host-tracers';
import { MergedTracingStack } from '../../merged-tracing-stack';
import { MergedTracingOptions } from '../../options';
import { warnPlaintextApiKey } from '../api-key-placement';
import { tagResource } from '../tags';

/** Props of DatadogEc2Tracing: exactly one of `instance` and `autoScalingGroup`. */
export interface DatadogEc2TracingProps {
  /**
   * The EC2 instance whose processes run dd-trace.
   * @default - none: pass autoScalingGroup instead
   */
  readonly instance?: ec2.Instance;

  /**
   * The Auto Scaling group whose instances run dd-trace (its launch template, when it has one, must expose its user
   * data and role).
   * @default - none: pass instance instead
   */
  readonly autoScalingGroup?: autoscaling.AutoScalingGroup;

  /**
   * The same options the Lambda side uses, so `env` (and `service`, `version`) match across hosts and functions.
   * @default - the options of the enclosing MergedTracingStack; an error when there is none
   */
  readonly mergedTracing?: MergedTracingOptions;

  /**
   * How the host is checked after synthesis where nothing else checks it (a MergedTracingStack or
   * `TraceMerging.applyTo` around it checks it with their options instead); `{ enabled: false }` turns that check off.
   * @default - every rule, expecting the env of its merged-tracing options
   */
  readonly checks?: TraceMergingCheckOptions;

  /**
   * The Datadog Agent version to install, `7.<minor>` or `7.<minor>.<patch>` (e.g. `7.60.1`). Pin it for hosts that
   * must come up the same way every time.
   * @default - the newest Agent 7 when the host boots
   */
  readonly agentVersion?: string;

  /**
   * The SHA-256 (64 hexadecimal digits) of Datadog's install script (install_script_agent7.sh) that you reviewed: the
   * host refuses to run any other script. Datadog serves only the newest script at a fixed address, so a pinned hash
   * stops new hosts from installing once Datadog updates it, until you review the new script and change the hash.
   * @default - not checked: the script is downloaded over HTTPS (TLS 1.2 or newer) from Datadog and run
   */
  readonly agentInstallScriptSha256?: string;

  /**
   * The language of the dd-trace the host's processes run. Java gets X-Ray's propagation style too
   * (`DD_TRACE_PROPAGATION_STYLE_INJECT` in /etc/environment and systemd's environment), so its calls carry an X-Ray
   * header with Datadog's ids; the trace map judges the host's hops by what that language's tracer can inject.
   * @default - not said: no propagation style is set, and the map cannot tell what the host's calls carry
   */
  readonly tracer?: HostTracer;
}

const TRACING_OF = new HiddenProperty<DatadogEc2Tracing>('DatadogEc2Tracing');
const AGENT_7_VERSION = /^7\.(\d+(?:\.\d+)?)$/;

/**
 * Traces an EC2 instance or Auto Scaling group with dd-trace, as the host side of HYBRID mode (Datadog's "Lambda
 * functions and hosts"): its user data (appended to the host's own) installs the Datadog Agent 7 with APM on and the
 * merged-tracing `env` / `service` / `version` as the Agent's tags, exports DD_ENV / DD_SERVICE / DD_VERSION to the
 * host's processes, and reads the API key at boot from the same source as the Lambda functions (never written into
 * the template); the instance role gets exactly that read; the instances (and the group, propagated at launch) are
 * tagged `env` / `service` / `version`. Linux hosts only (Amazon Linux 2023 and 2, Ubuntu).
 */
export class DatadogEc2Tracing extends Construct {
  /** The DatadogEc2Tracing applied to an instance or Auto Scaling group, if any. */
  public static of(host: IConstruct): DatadogEc2Tracing | undefined {
    return TRACING_OF.get(host);
  }

  /** The options the host is traced with. */
  public readonly mergedTracing: MergedTracingOptions;

  /** The role of the host's instances, which may read the API key. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: DatadogEc2TracingProps) {
    super(scope, id);
    const host = chosenHost(this, props);
    const options = props.mergedTracing ?? MergedTracingStack.enclosing(this)?.tracing;
    if (!options) {
      failAt(this, 'has no merged-tracing options.', 'Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
    }
    const already = DatadogEc2Tracing.of(host.construct);
    if (already) failAt(this, `${host.construct.node.path} is already traced by ${already.node.path}.`, 'Keep one DatadogEc2Tracing per host.');
    const minorVersion = agentMinorVersion(this, props.agentVersion);
    const installScriptSha256 = sha256Of(this, props.agentInstallScriptSha256);
    this.mergedTracing = options;
    // Checked even in a plain Stack: by its own check, unless a stack's or an app's covers it.
    MergedTracingChecker.asFallback(host.construct, { env: options.env, ...props.checks }, `the mergedTracing options of DatadogEc2Tracing '${this.node.path}'`);
    const config = resolveTracingConfig(options, this.node.path);
    assertLinux(this, host);
    const { userData, role } = hostParts(this, host);
    this.role = role;

    const apiKeyLines = bootApiKeyLines(config.apiKey);
    if (apiKeyLines === undefined) {
      warnWhileInstrumenting(this, 'NoApiKey', 'No Datadog API key source is set, so the Datadog Agent is not installed on the host ' +
        '(only DD_ENV, DD_SERVICE and DD_VERSION are set). Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey) in the merged-tracing options.');
    }
    grantBootApiKeyRead(this, role, config.apiKey);
    warnPlaintextApiKey(this, config.apiKey,
      'in the user data of the host (readable by any process on the instance through the instance metadata service, and by ec2:DescribeInstanceAttribute)');
    const propagationStyle = injectStylesFor(props.tracer?.language);
    addCommands(this, host.construct, userData,
      agentUserData(config, { apiKeyLines, agentMinorVersion: minorVersion, installScriptSha256, propagationStyle }));
    if (props.tracer) markHostTracer(host.resource, props.tracer.language);
    refuseOnceBuilt(this, () => userDataSizeProblem(this, host.construct, userData));
    tagHost(host, config, { agentInstalled: apiKeyLines !== undefined });
    TRACING_OF.set(host.construct, this);
  }
}

/** The one host of the props, with the L1 resource that carries its tags. */
interface Host {
  readonly construct: ec2.Instance | autoscaling.AutoScalingGroup;
  readonly resource: CfnResource;
}

function chosenHost(scope: IConstruct, props: DatadogEc2TracingProps): Host {
  if (props.instance && props.autoScalingGroup) {
    failAt(scope, 'has both instance and autoScalingGroup.', 'Pass one of them, and one DatadogEc2Tracing per host.');
  }
  if (props.instance) return { construct: props.instance, resource: props.instance.instance };
  if (props.autoScalingGroup) {
    return { construct: props.autoScalingGroup, resource: props.autoScalingGroup.node.defaultChild as CfnResource };
  }
  return failAt(scope, 'has neither instance nor autoScalingGroup.', 'Pass the ec2.Instance or autoscaling.AutoScalingGroup to trace.');
}

function agentMinorVersion(scope: IConstruct, version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  const match = Token.isUnresolved(version) ? null : AGENT_7_VERSION.exec(version);
  if (!match) {
    return failAt(scope, `agentVersion '${version}' is not a Datadog Agent 7 version.`,
      "Pass '7.<minor>' or '7.<minor>.<patch>' as a literal (e.g. '7.60.1'), or leave it out for the newest Agent 7.");
  }
  return match[1];
}

function sha256Of(scope: IConstruct, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Token.isUnresolved(value) || !/^[0-9a-f]{64}$/.test(value)) {
    return failAt(scope, `agentInstallScriptSha256 ${JSON.stringify(value)} is not a SHA-256 hash.`,
      'Pass the 64 lowercase hexadecimal digits `sha256sum install_script_agent7.sh` prints for the script you reviewed, as a literal.');
  }
  return value;
}

// The user data is bash: what the install script, systemd and the AWS CLI need.
function assertLinux(scope: IConstruct, host: Host): void {
  const osType = host.construct.osType;
  if (osType === ec2.OperatingSystemType.LINUX) return;
  if (osType === ec2.OperatingSystemType.WINDOWS) {
    failAt(scope, `${host.construct.node.path} runs Windows, but DatadogEc2Tracing writes Linux user data.`,
      "Install the Agent with Datadog's Windows installer in your own user data (APIKEY, SITE, TAGS=env:..., APM on) " +
      'and tag the host env/service/version; the checker then cannot see it.');
  }
  failAt(scope, `the operating system of ${host.construct.node.path} is unknown (a launch template without a machine image?).`,
    'Give it a Linux machine image (e.g. ec2.MachineImage.latestAmazonLinux2023()), so that its user data is Linux user data.');
}

/** The user data and role the host's instances boot with; refused where a launch template does not expose them. */
function hostParts(scope: IConstruct, host: Host): { userData: ec2.UserData; role: iam.IRole } {
  if (host.construct instanceof ec2.Instance) return { userData: host.construct.userData, role: host.construct.role };
  const group = host.construct;
  const exposed = <T>(part: string, read: () => T): T => {
    try {
      return read();
    } catch {
      return failAt(scope, `the launch template of ${group.node.path} does not expose its ${part}, so the Agent could not be set up.`,
        'Create the launch template with userData (ec2.UserData.forLinux()) and a role, or let the group create its own.');
    }
  };
  return { userData: exposed('user data', () => group.userData), role: exposed('role', () => group.role) };
}

function addCommands(scope: IConstruct, host: IConstruct, userData: ec2.UserData, lines: string[]): void {
  // UserData.custom() appends commands to whatever it holds (a cloud-config, say), so only a shell script may take them;
  // a multipart user data passes them to its default shell part, and refuses without one.
  const shell = userData instanceof ec2.MultipartUserData || /^#!.*\b(ba)?sh\b/.test(userData.render());
  let added = false;
  try {
    if (shell) userData.addCommands(...lines);
    added = shell;
  } catch {
    // A multipart user data without a default part: refused below, in the same words.
  }
  if (!added) {
    failAt(scope, `the user data of ${host.node.path} is not a shell script that takes commands (UserData.custom, or multipart without a default part).`,
      'Use ec2.UserData.forLinux() (add your own commands to it), or a MultipartUserData with a default shell part.');
  }
}

/** The unified service tags on the instance, or on the group and so, propagated at launch, on its instances. */
function tagHost(host: Host, config: TracingConfig, traced: TracedHost): void {
  tagResource(host.resource, config);
  markTracedHost(host.resource, traced);
}
