export * from './datadog-ecs-tracing';
export * from './datadog-ec2-tracing';
export * from './datadog-xray-integration-access';
export * from './host-tracer';
