export * from './datadog-ecs-tracing';
export * from './datadog-ec2-tracing';
export * from './datadog-xray-integration-access';
export * from './host-tracer';
export * from './eks/datadog-eks-tracing';
export * from './eks/datadog-eks-v2-tracing';
export * from './eks/eks-tracing-options';
