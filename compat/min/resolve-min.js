// Preloaded (NODE_OPTIONS=--require) into every process the suite on the peer minimum starts, e.g. the real
// `cdk synth` of the examples: `aws-cdk-lib` and `constructs` resolve to compat/min/node_modules there too, as
// jest's moduleNameMapper (compat/min/jest.config.js) does for the test files and lib/ they load.
// Test infrastructure only: Node 20 has no public synchronous resolve hook for require().
const Module = require('module');
const path = require('path');

const MODULES = path.join(__dirname, 'node_modules');
const MAPPED = /^(aws-cdk-lib|constructs)(\/.*)?$/;

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const mapped = MAPPED.test(request) ? path.join(MODULES, request) : request;
  return resolveFilename.call(this, mapped, ...rest);
};
