import { Aws } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { failAt } from '../../../common/errors';
import { ApiKeySource, TracingConfig } from '../../../config';
import { agentParameterName } from '../agent-parameter-name';

/** How the Agent reads its API key: a secret-backend handle in place of the key, and the backend that resolves it. */
export interface AgentApiKey {
  /** `datadog.apiKey`: an `ENC[...]` handle (the chart stores it in a Kubernetes Secret; it is not the key). */
  readonly apiKey: string;
  /** The Agent's built-in secret backend (Agent 7.70+, Cluster Agent 7.77+); none for a plaintext key. */
  readonly secretBackend?: { readonly type: string; readonly config: Record<string, unknown> };
}

/**
 * The Agent's API key from the same source as the functions, as the Agent's built-in secret backend reads it: a
 * Secrets Manager secret holding the key itself (force_string: the whole SecretString, as the Lambda extension reads
 * DD_API_KEY_SECRET_ARN) or an SSM parameter. The backend calls AWS with the credentials of the pod's service account
 * (EKS Pod Identity), in the resource's region.
 */
export function agentApiKey(scope: IConstruct, source: ApiKeySource): AgentApiKey | undefined {
  switch (source.kind) {
    case 'secret':
    case 'secretArn': {
      const arn = source.kind === 'secret' ? source.secret.secretArn : source.arn;
      const region = source.kind === 'secretArn' && source.parsed ? source.parsed.region : Aws.REGION;
      // The handle is `<secret id>;<JSON key>`; with force_string the key part is not read, but the form needs one.
      return { apiKey: `ENC[${arn};api_key]`, secretBackend: { type: 'aws.secrets', config: { aws_session: { aws_region: region }, force_string: true } } };
    }
    case 'ssm': {
      const name = agentParameterName(scope, source.arn, source.parsed);
      return { apiKey: `ENC[${name}]`, secretBackend: { type: 'aws.ssm', config: { aws_session: { aws_region: source.parsed!.region } } } };
    }
    case 'kms':
      return failAt(scope, 'the Datadog Agent on EKS cannot decrypt a KMS-encrypted API key (apiKmsKey): its secret backend reads Secrets Manager and SSM only.',
        'Store the key in Secrets Manager and pass apiKeySecret (the Lambda functions accept it too).');
    case 'plaintext':
      // Only with allowPlaintextApiKey: the user accepted the key in the template (and so in the chart's Secret).
      return { apiKey: source.value };
    case 'none':
      return undefined;
  }
}

/**
 * The values of Datadog's Helm chart for merged tracing's host side, every key one of DATADOG_CHART_KEYS
 * (lib/datadog/datadog-helm-chart.ts, the chart's own keys at the pinned version).
 */
export function agentChartValues(config: TracingConfig, key: AgentApiKey): Record<string, unknown> {
  // Agent-wide tags: the env every workload shares, and the options' tags. Service and version differ per workload,
  // so they go on the workloads' labels, not on the Agent (they would tag every pod's host metrics).
  const tags = [`env:${config.env}`, ...(config.ddTags ? config.ddTags.split(',').filter((t) => !t.startsWith('env:')) : [])];
  return {
    datadog: {
      site: config.site,
      apiKey: key.apiKey,
      ...(key.secretBackend ? {
        secretBackend: {
          type: key.secretBackend.type,
          config: key.secretBackend.config,
          // The chart's default gives the Agents the read of every Kubernetes Secret once a backend type is set; this
          // backend reads AWS only, so they get none.
          enableGlobalPermissions: false,
        },
      } : {}),
      ...(config.options.logLevel !== undefined ? { logLevel: config.options.logLevel } : {}),
      tags,
      // The trace Agent's default env: traces whose pods carry no env label still land in the deployment's env.
      env: [{ name: 'DD_ENV', value: config.env }],
      // APM on the node's port 8126, so the admission controller can inject DD_AGENT_HOST (the node's IP).
      apm: { portEnabled: true },
      dogstatsd: { useHostPort: true, nonLocalTraffic: true },
    },
    clusterAgent: {
      enabled: true,
      admissionController: {
        enabled: true,
        // Only pods labelled admission.datadoghq.com/enabled=true (the workloads DatadogEksTracing labels) are changed.
        mutateUnlabelled: false,
        configMode: 'hostip',
      },
    },
  };
}

/** The dotted paths of every leaf of a values object (arrays are leaves), for the fact check against the chart's keys. */
export function valuePaths(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([name, value]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return value !== null && typeof value === 'object' && !Array.isArray(value) && !isLeafObject(path)
      ? valuePaths(value as Record<string, unknown>, path) : [path];
  });
}

// Keys whose value is an object the chart passes on whole (toJson), not keys of their own.
const LEAF_OBJECTS = new Set(['datadog.secretBackend.config']);
const isLeafObject = (path: string) => LEAF_OBJECTS.has(path);
