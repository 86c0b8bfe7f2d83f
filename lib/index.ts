export * from './options';
export * from './instrument/merged-tracing';
export * from './check/merged-tracing-checker';
export * from './check/checker-options';
export * from './merged-tracing-stack';
export * from './traced-function';
export * from './trace-merging';
export * from './instrument/hosts';
