// Public API of the host side: the constructs and their props only (constants stay internal).
export { DatadogEcsTracing, DatadogEcsTracingProps } from './datadog-ecs-tracing';
export { DatadogXRayIntegrationAccess, DatadogXRayIntegrationAccessProps } from './datadog-xray-integration-access';
