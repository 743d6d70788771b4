export { makeSandbox, type Sandbox } from './sandbox';
export { waitFor } from './wait-for';
export { TestStack, REPO_ROOT, DIST, CLI_BIN } from './stack';
export { runCli, type CliResult } from './run-cli';
export { checkServiceHealth } from './service-health';
