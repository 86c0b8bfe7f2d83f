export * from './datadog-ecs-tracing';
export * from './datadog-xray-integration-access';
