export * from './options';
export * from './aspects/merged-tracing';
export * from './merged-tracing-stack';
export * from './traced-function';
export * from './hosts';
