import { CfnResource, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { EksClusterParts } from './eks-cluster-parts';
import { namesCluster } from '../../../common/traced-clusters';
import { ApiKeySource } from '../../../config';
import { chartServiceAccounts } from '../../../datadog/datadog-helm-chart';
import { grantApiKeyRead } from '../../lambda/api-key';

const POD_IDENTITY_ADDON = 'eks-pod-identity-agent';

/** Where the Agent's chart runs, and whether the cluster's Pod Identity Agent add-on is this tracing's to add. */
export interface AgentIdentitySettings {
  readonly namespace: string;
  readonly release: string;
  readonly addon: boolean;
}

/** The role the Agent's pods take, and what must exist before they start. */
export interface AgentIdentity {
  readonly role: iam.IRole;
  /** The Pod Identity associations (and the add-on): pods take Pod Identity's credentials when they are created. */
  readonly readyBefore: IConstruct[];
}

/**
 * The API key read by the Agent's service accounts alone, through EKS Pod Identity: a role only Pod Identity may
 * assume, granted exactly the read of the one secret or parameter, associated with the node Agents' and the Cluster
 * Agent's service accounts of the chart's release. The node role gets nothing.
 */
export function agentIdentity(tracing: Construct, parts: EksClusterParts, key: ApiKeySource, settings: AgentIdentitySettings): AgentIdentity {
  const accounts = chartServiceAccounts(settings.release);
  const role = new iam.Role(tracing, 'AgentRole', {
    // EKS Pod Identity assumes the role and tags the session with where the pod runs (EKS user guide, "Create IAM role
    // with trust policy required by EKS Pod Identity"): the trust holds it to this account, this cluster, the Agent's
    // namespace and its two service accounts, so no other association in the account can use it.
    assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
      StringEquals: {
        'aws:SourceAccount': Stack.of(tracing).account,
        'aws:RequestTag/eks-cluster-name': parts.clusterName,
        'aws:RequestTag/kubernetes-namespace': settings.namespace,
        'aws:RequestTag/kubernetes-service-account': [accounts.nodeAgent, accounts.clusterAgent],
      },
    }).withSessionTags(),
    description: `Read by the Datadog Agent's service accounts on ${parts.cluster.node.path}: the Datadog API key, nothing else.`,
  });
  grantApiKeyRead(role, tracing, key);
  const readyBefore: IConstruct[] = [];
  if (settings.addon) {
    // The cluster's own add-on (created once, shared with its service accounts that use Pod Identity).
    const addon = parts.podIdentityAgent();
    if (addon) readyBefore.push(addon);
    tracing.node.addValidation({ validate: () => duplicateAddons(tracing, parts) });
  }
  for (const [id, serviceAccount] of [['NodeAgentIdentity', accounts.nodeAgent], ['ClusterAgentIdentity', accounts.clusterAgent]]) {
    readyBefore.push(new eks.CfnPodIdentityAssociation(tracing, id, {
      clusterName: parts.clusterName, namespace: settings.namespace, serviceAccount, roleArn: role.roleArn,
    }));
  }
  return { role, readyBefore };
}

interface AddonProperties {
  readonly addonName: string;
  readonly clusterName: string;
}

/** The Pod Identity Agent add-on defined more than once for the cluster: the second fails at deployment. */
function duplicateAddons(tracing: IConstruct, parts: EksClusterParts): string[] {
  const stack = Stack.of(parts.cluster);
  // Both modules' add-ons are AWS::EKS::Addon L1s (each module has its own CfnAddon class): read by type and properties.
  const addons = tracing.node.root.node.findAll().filter((c): c is CfnResource & AddonProperties => CfnResource.isCfnResource(c)
    && c.cfnResourceType === 'AWS::EKS::Addon' && (c as unknown as AddonProperties).addonName === POD_IDENTITY_ADDON
    && Stack.of(c) === stack && namesCluster(stack, parts.clusterName, stack.resolve((c as unknown as AddonProperties).clusterName)));
  if (addons.length < 2) return [];
  return [`[cdk-trace-merging] ${tracing.node.path}: the ${POD_IDENTITY_ADDON} add-on is defined ${addons.length} times for cluster ` +
    `${parts.cluster.node.path} (${addons.map((a) => a.node.path).join(', ')}), and EKS takes one. Pass podIdentityAgentAddon: false to DatadogEksTracing.`];
}
