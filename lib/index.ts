export * from './options';
export * from './check/check-options';
export * from './merged-tracing-stack';
export * from './traced-function';
export * from './trace-merging';
export * from './instrument/hosts';
