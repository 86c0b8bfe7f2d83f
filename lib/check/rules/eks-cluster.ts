/** An EKS cluster DatadogEksTracing traces, as the checker reads it from the template. */
export interface EksClusterFacts {
  readonly agentInstalled: boolean;
  readonly env: string;
  /** The Agent's Helm chart as synthesized; undefined when the template has none. */
  readonly chart?: {
    readonly version: unknown;
    readonly namespace: unknown;
    readonly release: unknown;
    /** Its values, parsed (values only known at deployment stand as placeholders); undefined when unreadable. */
    readonly values?: any;
  };
  /** The `<namespace>/<service account>` of every EKS Pod Identity association of the cluster in the template. */
  readonly podIdentities: readonly string[];
}
