/** Lambda's limits that instrumenting must stay inside and the checker holds every function to. */
export const MAX_LAYERS = 5;
export const MAX_ENVIRONMENT_BYTES = 4096;
