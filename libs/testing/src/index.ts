export { makeSandbox, type Sandbox } from './sandbox';
export { waitFor } from './wait-for';
export { TestStack, REPO_ROOT, DIST, CLI_BIN } from './stack';
export { runCli, type CliResult } from './run-cli';
export { checkServiceHealth } from './service-health';
export { FAKE_AGENT_JS, fakeAgentEnv, fakeRuntimeManifest, installFakeRuntime, readFakeTranscript, type FakeAgentBehaviour, type InstallFakeRuntimeOptions } from './fake-runtime';
