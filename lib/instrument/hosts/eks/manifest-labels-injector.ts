import { IPropertyInjector, InjectionContext, PropertyInjectors } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { IConstruct } from 'constructs';
import { labelledManifest } from './workload-labels';
import { TracingConfig } from '../../../config';

/**
 * Labels the workloads of every aws-eks KubernetesManifest created under the cluster from now on (cluster.addManifest
 * creates them there), through CDK's property injection: the public way to change a construct's props before it is
 * built. aws-eks-v2's KubernetesManifest takes no injectors (aws-cdk-lib 2.277), so DatadogEksV2Tracing offers
 * addManifest instead; the checker reports any workload left without its labels either way.
 */
export function labelManifestsUnder(tracing: IConstruct, cluster: eks.ICluster, config: TracingConfig): void {
  const id = eks.KubernetesManifest.PROPERTY_INJECTION_ID;
  // Only the nearest injector for a construct applies: keep the one the cluster had, else the nearest above it.
  const before = PropertyInjectors.hasPropertyInjectors(cluster) ? PropertyInjectors.of(cluster).for(id) : undefined;
  const injector: IPropertyInjector = {
    constructUniqueId: id,
    inject: (props: eks.KubernetesManifestProps, context: InjectionContext) => {
      const outer = before ?? injectorAbove(cluster, id);
      const given: eks.KubernetesManifestProps = outer ? outer.inject(props, context) : props;
      if (given.cluster !== cluster) return given;
      return { ...given, manifest: labelledManifest(tracing, given.manifest, config) };
    },
  };
  PropertyInjectors.of(cluster).add(injector);
}

function injectorAbove(scope: IConstruct, id: string): IPropertyInjector | undefined {
  for (let current = scope.node.scope; current; current = current.node.scope) {
    const injector = PropertyInjectors.hasPropertyInjectors(current) ? PropertyInjectors.of(current).for(id) : undefined;
    if (injector) return injector;
  }
  return undefined;
}
