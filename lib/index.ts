export * from './options';
export * from './aspects/merged-tracing';
export * from './aspects/merged-tracing-checker';
export * from './aspects/checker-options';
export * from './merged-tracing-stack';
export * from './traced-function';
export * from './hosts';
