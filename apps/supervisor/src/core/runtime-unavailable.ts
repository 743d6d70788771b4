import type { AdapterRegistry } from './ports';

/** Why a runtime has no adapter: its refused manifest's own message when there is one (field, reason, fix). */
export function runtimeUnavailableReason(adapters: AdapterRegistry, runtime: string): string {
  const problem = adapters.problem?.(runtime);
  if (problem) return `runtime "${runtime}" is unavailable: its manifest is refused (RUNTIME_MANIFEST_INVALID): ${problem}`;
  return `runtime "${runtime}" has no adapter (not built in, or runtimes/${runtime}/runtime.json is missing or invalid)`;
}
