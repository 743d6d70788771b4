export { writeFileAtomic, writeAtomicUnchecked, ensureDir, fsyncDir, FILE_MODE, DIR_MODE, REGISTRY_BASENAME, type AtomicWriteOptions } from './atomic-write';
export { writeMarker, readMarker, hasMarker, clearMarker, readJsonFile, readTextIfExists, writeJsonFile } from './markers';
export { ensureGlobalScaffold, ensureLocalScaffold, assertPrivateDir, assertPrivateStateDirs, assertSandboxAllows } from './scaffold';
