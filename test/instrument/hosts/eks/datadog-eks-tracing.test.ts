import { App, Aws, Fn, Lazy, PropertyInjectors, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { deployment, EKS_SECRET_ARN, eksCluster, eksV2Cluster, kubectlLayer } from './eks-fixtures';
import { DatadogEksTracing, DatadogEksTracingOptions, DatadogEksV2Tracing, MergedTracingOptions, MergedTracingStack, TracingMode } from '../../../../lib';
import { ACCOUNT } from '../../../support/fixtures';

const OPTIONS: MergedTracingOptions = { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, apiKeySecretArn: EKS_SECRET_ARN };

function newStack(app = new App()): Stack {
  return new Stack(app, 'Eks', { env: { account: ACCOUNT, region: 'us-east-1' } });
}

/** What both tracing constructs offer. */
interface Tracing {
  addManifest(id: string, ...m: Array<Record<string, any>>): Construct;
}

/** Each EKS module: its cluster, its tracing construct, and how a manifest reaches the cluster labelled. */
interface Module {
  readonly name: string;
  cluster(stack: Stack): Construct;
  trace(stack: Stack, cluster: Construct, options?: Partial<DatadogEksTracingOptions>): Tracing;
  /** Adds a manifest the way that module's users do once tracing exists. */
  addWorkloads(tracing: Tracing, cluster: Construct, ...manifest: Array<Record<string, any>>): void;
}

const MODULES: Module[] = [
  {
    name: 'aws-eks',
    cluster: (stack) => eksCluster(stack),
    trace: (stack, cluster, options = {}) => new DatadogEksTracing(stack, 'Tracing', { cluster: cluster as eks.Cluster, mergedTracing: OPTIONS, ...options }),
    // The cluster's own addManifest: labelled through property injection.
    addWorkloads: (_tracing, cluster, ...manifest) => { (cluster as eks.Cluster).addManifest('App', ...manifest); },
  },
  {
    name: 'aws-eks-v2',
    cluster: (stack) => eksV2Cluster(stack),
    trace: (stack, cluster, options = {}) => new DatadogEksV2Tracing(stack, 'Tracing', { cluster: cluster as eksv2.Cluster, mergedTracing: OPTIONS, ...options }),
    addWorkloads: (tracing, _cluster, ...manifest) => { tracing.addManifest('App', ...manifest); },
  },
];

function chartValues(stack: Stack): any {
  const charts = Template.fromStack(stack).findResources('Custom::AWSCDK-EKS-HelmChart', { Properties: { Chart: 'datadog' } });
  expect(Object.keys(charts)).toHaveLength(1);
  const values = Object.values(charts)[0].Properties.Values;
  return JSON.parse(typeof values === 'string' ? values : JSON.stringify(stack.resolve(values)));
}

function manifestObjects(stack: Stack): any[] {
  const manifests = Template.fromStack(stack).findResources('Custom::AWSCDK-EKS-KubernetesResource');
  return Object.values(manifests).map((m) => m.Properties.Manifest).filter((m) => typeof m === 'string').flatMap((m) => JSON.parse(m));
}

describe.each(MODULES)('DatadogEksTracing on $name', (module) => {
  test('installs Datadog\'s Helm chart at the pinned version with APM, DogStatsD, the env and the admission controller', () => {
    // GIVEN a cluster
    const stack = newStack();
    const cluster = module.cluster(stack);

    // WHEN it is traced
    module.trace(stack, cluster);

    // THEN the chart is Datadog's, pinned, in its own namespace, and its values are exactly these
    Template.fromStack(stack).hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'datadog', Repository: 'https://helm.datadoghq.com', Version: '3.240.0', Release: 'datadog', Namespace: 'datadog', CreateNamespace: true,
    });
    expect(chartValues(stack)).toEqual({
      datadog: {
        site: 'datadoghq.com',
        apiKey: `ENC[${EKS_SECRET_ARN};api_key]`,
        secretBackend: { type: 'aws.secrets', config: { aws_session: { aws_region: 'us-east-1' }, force_string: true }, enableGlobalPermissions: false },
        tags: ['env:prod'],
        env: [{ name: 'DD_ENV', value: 'prod' }],
        apm: { portEnabled: true },
        dogstatsd: { useHostPort: true, nonLocalTraffic: true },
      },
      clusterAgent: { enabled: true, admissionController: { enabled: true, mutateUnlabelled: false, configMode: 'hostip' } },
    });
  });

  test('the API key is read by the Agent\'s two service accounts alone, through EKS Pod Identity, from the one secret', () => {
    // GIVEN a cluster WHEN it is traced
    const stack = newStack();
    module.trace(stack, module.cluster(stack));
    const template = Template.fromStack(stack);

    // THEN a role only EKS Pod Identity assumes reads exactly the secret
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'pods.eks.amazonaws.com' } }] } } });
    expect(Object.keys(roles)).toHaveLength(1);
    const [roleId, role] = Object.entries(roles)[0];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      // Held to this account, this cluster, the Agent's namespace and its two service accounts (Pod Identity's session tags)
      Condition: {
        StringEquals: {
          'aws:SourceAccount': ACCOUNT,
          'aws:RequestTag/eks-cluster-name': { Ref: expect.stringMatching(/^Cluster/) },
          'aws:RequestTag/kubernetes-namespace': 'datadog',
          'aws:RequestTag/kubernetes-service-account': ['datadog', 'datadog-cluster-agent'],
        },
      },
    }]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Statement: [{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: EKS_SECRET_ARN }] },
    });
    // ... for the node Agents' and the Cluster Agent's service accounts, after the Pod Identity Agent add-on
    const associations = Object.values(template.findResources('AWS::EKS::PodIdentityAssociation')).map((a) => a.Properties);
    expect(associations.map((a) => [a.Namespace, a.ServiceAccount, a.RoleArn])).toEqual([
      ['datadog', 'datadog', { 'Fn::GetAtt': [roleId, 'Arn'] }],
      ['datadog', 'datadog-cluster-agent', { 'Fn::GetAtt': [roleId, 'Arn'] }],
    ]);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
    const chart = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart', { Properties: { Chart: 'datadog' } }))[0];
    expect(chart.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^TracingNodeAgentIdentity/),
      expect.stringMatching(/^TracingClusterAgentIdentity/), expect.stringMatching(/^ClusterEksPodIdentityAgentAddon/)]));
    // The nodes' role reads no secret.
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('Nodegroup|Node') })]) } })))
      .not.toContain('secretsmanager');
  });

  test('an API key in SSM is resolved by the Agent\'s aws.ssm backend, and an app secret with its KMS key is granted whole', () => {
    // GIVEN an SSM parameter WHEN the cluster is traced with it
    const ssmStack = newStack();
    module.trace(ssmStack, module.cluster(ssmStack),
      { mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKeySsmArn: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/datadog/api-key` } });
    // THEN the handle names the parameter (with its leading '/'), in the parameter's region
    expect(chartValues(ssmStack).datadog.apiKey).toBe('ENC[/datadog/api-key]');
    expect(chartValues(ssmStack).datadog.secretBackend).toEqual({ type: 'aws.ssm', config: { aws_session: { aws_region: 'eu-west-1' } }, enableGlobalPermissions: false });
    Template.fromStack(ssmStack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ssm:GetParameter', Effect: 'Allow', Resource: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/datadog/api-key` }] },
    });

    // GIVEN a secret of the app encrypted with its own key WHEN traced with it
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'ApiKey', { encryptionKey: key });
    module.trace(stack, module.cluster(stack), { mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKeySecret: secret } });
    // THEN the Agent's role may read that secret and decrypt with that key, nothing else
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('TracingAgentRole') } }))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      ['kms:Decrypt', { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }].map((v, i) => (i === 1 ? expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] }) : v)),
      [['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], { Ref: expect.stringMatching(/^ApiKey/) }],
    ]);
  });

  test('workloads of every kind get unified service tags and the admission label; values the manifest sets win; the user\'s objects stay as given', () => {
    // GIVEN a traced cluster and a manifest of every workload kind (one with a version of its own) and a Service
    const stack = newStack();
    const cluster = module.cluster(stack);
    const tracing = module.trace(stack, cluster);
    const own = deployment('api', { 'tags.datadoghq.com/version': '2.0.0' });
    const given = JSON.stringify(own);
    const workloads = [
      own,
      ...['StatefulSet', 'DaemonSet', 'Job'].map((kind) => ({ ...deployment(kind.toLowerCase()), apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind })),
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace: 'jobs' },
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'example/job:1' }] } } } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { ports: [{ port: 80 }] } },
    ];

    // WHEN they are added the module's way
    module.addWorkloads(tracing, cluster, ...workloads);

    // THEN every workload and its pods carry the tags, the pods the admission label; the Service is untouched
    const tags = { 'tags.datadoghq.com/env': 'prod', 'tags.datadoghq.com/service': 'orders', 'tags.datadoghq.com/version': '1.0.0' };
    const objects = manifestObjects(stack).filter((o) => o.kind !== 'ConfigMap');
    const podLabels = (o: any) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template).metadata.labels;
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service']);
    for (const o of objects.slice(1, 5)) {
      expect(o.metadata.labels).toMatchObject(tags);
      expect(podLabels(o)).toMatchObject({ ...tags, 'admission.datadoghq.com/enabled': 'true' });
    }
    expect(podLabels(objects[0])['tags.datadoghq.com/version']).toBe('2.0.0');
    expect(objects[0].metadata.labels['tags.datadoghq.com/version']).toBe('2.0.0');
    expect(objects[5].metadata).toEqual(expect.not.objectContaining({ labels: expect.objectContaining(tags) }));
    expect(JSON.stringify(own)).toBe(given);
  });

  test('a workload whose labels are tokens is refused, naming it', () => {
    // GIVEN a traced cluster
    const stack = newStack();
    const cluster = module.cluster(stack);
    const tracing = module.trace(stack, cluster);
    // WHEN a Deployment's env label is a CloudFormation value THEN it is refused with the workload's name and the fix
    expect(() => module.addWorkloads(tracing, cluster, deployment('web', { 'tags.datadoghq.com/env': Aws.STACK_NAME }, 'shop')))
      .toThrow(/Deployment shop\/web has CloudFormation values \(tokens\) in its labels, so its env, service and version cannot be read or set\. Give the Deployment's labels .* as literal strings/);

    // AND a pod template whose metadata is a token as a whole: refused too (its labels could not be added)
    const lazy = deployment('api');
    lazy.spec.template.metadata = Lazy.any({ produce: () => ({ labels: { app: 'api' } }) });
    expect(() => module.addWorkloads(tracing, cluster, lazy))
      .toThrow(/Deployment default\/api has CloudFormation values \(tokens\) in its pod template's labels/);
  });

  test('bad input: no options, a second tracing, a KMS-encrypted key, a bad namespace or chart version', () => {
    const stack = newStack();
    const cluster = module.cluster(stack);
    expect(() => module.trace(stack, cluster, { mergedTracing: undefined }))
      .toThrow('[cdk-trace-merging] Eks/Tracing: has no merged-tracing options. Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');

    const traced = newStack();
    const tracedCluster = module.cluster(traced);
    module.trace(traced, tracedCluster);
    const again = new Construct(traced, 'Again');
    expect(() => module.trace(again as Stack, tracedCluster)).toThrow('[cdk-trace-merging] Eks/Again/Tracing: cluster Eks/Cluster is already traced by Eks/Tracing. Keep one DatadogEksTracing per cluster.');

    const kmsStack = newStack();
    const key = new kms.Key(kmsStack, 'Key');
    expect(() => module.trace(kmsStack, module.cluster(kmsStack), { mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKmsKey: 'AQICAHhA', apiKmsKeyEncryptionKey: key } }))
      .toThrow(/the Datadog Agent on EKS cannot decrypt a KMS-encrypted API key \(apiKmsKey\).*Store the key in Secrets Manager and pass apiKeySecret/);

    const tokenStack = newStack();
    expect(() => module.trace(tokenStack, module.cluster(tokenStack), { mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKeySsmArn: Fn.importValue('KeyArn') } }))
      .toThrow(/apiKeySsmArn '\$\{Token\[TOKEN\.\d+\]\}' is not a resolved SSM parameter ARN, so the Datadog Agent cannot name the parameter/);

    const badStack = newStack();
    const badCluster = module.cluster(badStack);
    expect(() => module.trace(badStack, badCluster, { agentNamespace: 'Datadog_Agents' })).toThrow(/agentNamespace "Datadog_Agents" is not a Kubernetes namespace/);
    expect(() => module.trace(new Construct(badStack, 'Other') as Stack, badCluster, { chartVersion: 'latest' })).toThrow(/chartVersion "latest" is not a version of Datadog's Helm chart\. Pass a version of Datadog's Helm chart such as '3\.240\.0'/);
  });

  test('agentNamespace moves the chart, the associations and the role\'s trust to that namespace', () => {
    const stack = newStack();
    module.trace(stack, module.cluster(stack), { agentNamespace: 'monitoring' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'datadog', Namespace: 'monitoring' });
    expect(Object.values(template.findResources('AWS::EKS::PodIdentityAssociation')).map((a) => a.Properties.Namespace)).toEqual(['monitoring', 'monitoring']);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { StringEquals: Match.objectLike({ 'aws:RequestTag/kubernetes-namespace': 'monitoring' }) } })] },
    });
  });

  test('another chart version is installed with a warning that its keys were not checked', () => {
    const stack = newStack();
    module.trace(stack, module.cluster(stack), { chartVersion: '3.250.0' });
    Template.fromStack(stack).hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'datadog', Version: '3.250.0' });
    Annotations.fromStack(stack).hasWarning('/Eks/Tracing', Match.stringLikeRegexp("chartVersion '3.250.0' is not 3.240.0.*cdk-trace-merging:EksChartVersion"));
  });

  test('without an API key source no Agent is installed (NoApiKey), and workloads still get their labels', () => {
    const stack = newStack();
    const cluster = module.cluster(stack);
    const tracing = module.trace(stack, cluster, { mergedTracing: { env: 'prod', mode: TracingMode.HYBRID } });
    module.addWorkloads(tracing, cluster, deployment('web'));
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    expect(Object.keys(Template.fromStack(stack).findResources('Custom::AWSCDK-EKS-HelmChart'))).toEqual([]);
    expect(manifestObjects(stack).find((o) => o.kind === 'Deployment').spec.template.metadata.labels['tags.datadoghq.com/env']).toBe('prod');
    Annotations.fromStack(stack).hasWarning('/Eks/Tracing', Match.stringLikeRegexp('the Datadog Agent is not installed on the cluster.*NoApiKey'));
  });

  test('takes the options of the enclosing MergedTracingStack', () => {
    const stack = new MergedTracingStack(new App(), 'Eks', { env: { account: ACCOUNT, region: 'us-east-1' }, tracing: { ...OPTIONS, env: 'staging' } });
    module.trace(stack, module.cluster(stack), { mergedTracing: undefined });
    expect(chartValues(stack).datadog.tags).toEqual(['env:staging']);
  });

  test('podIdentityAgentAddon: false leaves the add-on to the cluster; defined twice it is an error at synthesis', () => {
    const stack = newStack();
    module.trace(stack, module.cluster(stack), { podIdentityAgentAddon: false });
    Template.fromStack(stack).resourceCountIs('AWS::EKS::Addon', 0);

    const twice = newStack();
    const cluster = module.cluster(twice);
    module.trace(twice, cluster);
    new eks.CfnAddon(twice, 'OwnAddon', { addonName: 'eks-pod-identity-agent', clusterName: (cluster as eks.ICluster).clusterName });
    expect(() => Template.fromStack(twice)).toThrow(/the eks-pod-identity-agent add-on is defined 2 times for cluster Eks\/Cluster .* Pass podIdentityAgentAddon: false/);
  });
});

describe('refusals of one module', () => {
  test('an imported aws-eks cluster is refused', () => {
    const stack = newStack();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'shop', kubectlRoleArn: `arn:aws:iam::${ACCOUNT}:role/kubectl` });
    expect(() => new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS }))
      .toThrow('[cdk-trace-merging] Eks/Tracing: cluster Eks/Imported is imported (eks.Cluster.fromClusterAttributes), so its node groups, Fargate profiles and ' +
        'add-ons cannot be seen here. Trace the cluster in the app that defines it (pass the eks.Cluster itself).');
  });

  test('an imported aws-eks-v2 cluster, and one without a kubectl provider, are refused', () => {
    const stack = newStack();
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'shop' });
    expect(() => new DatadogEksV2Tracing(stack, 'Tracing', { cluster: imported, mergedTracing: OPTIONS })).toThrow(/cluster Eks\/Imported is imported/);
    const bare = eksV2Cluster(stack, 'Bare', false);
    expect(() => new DatadogEksV2Tracing(stack, 'BareTracing', { cluster: bare, mergedTracing: OPTIONS }))
      .toThrow(/cluster Eks\/Bare has no kubectl provider, and the Datadog Agent's Helm chart and the labelled manifests need one\. Create the cluster with kubectlProviderOptions/);
  });

  test('a Fargate profile on a traced cluster is refused at synthesis, naming the profile', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
    cluster.addFargateProfile('Batch', { selectors: [{ namespace: 'batch' }] });
    expect(() => Template.fromStack(stack)).toThrow(/Eks\/Cluster\/fargate-profile-Batch: this Fargate profile selects pods that get no Datadog Agent \(the node Agent is a DaemonSet, and Fargate runs none\).* Run those workloads on a node group/);
  });

  test('aws-eks: manifests under the cluster created before the tracing are not labelled (the checker says so); after, they are', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    cluster.addManifest('Before', deployment('before'));
    new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
    new eks.KubernetesManifest(cluster, 'After', { cluster, manifest: [deployment('after')] });
    const labels = Object.fromEntries(manifestObjects(stack).filter((o) => o.kind === 'Deployment').map((o) => [o.metadata.name, o.spec.template.metadata.labels]));
    expect(labels.before['tags.datadoghq.com/env']).toBeUndefined();
    expect(labels.after['tags.datadoghq.com/env']).toBe('prod');
  });

  test('aws-eks: a property injector the app set above the cluster still applies to its manifests', () => {
    const app = new App();
    const stack = newStack(app);
    PropertyInjectors.of(app).add({
      constructUniqueId: eks.KubernetesManifest.PROPERTY_INJECTION_ID,
      inject: (props: eks.KubernetesManifestProps) => ({ ...props, overwrite: true }),
    });
    const cluster = eksCluster(stack);
    new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
    cluster.addManifest('App', deployment('web'));
    Template.fromStack(stack).hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', {
      Overwrite: true, Manifest: Match.stringLikeRegexp('"tags.datadoghq.com/env":"prod"'),
    });
  });

  test('the kubectl layer fixture is a layer by ARN (nothing here runs kubectl)', () => {
    expect(kubectlLayer(newStack()).layerVersionArn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:layer:kubectl:1`);
  });
});
