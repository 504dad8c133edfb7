/**
 * Optional dependencies (package.json optionalDependencies) may be missing where npm could not install them
 * (no prebuilt binary for the platform): callers ask before they rely on one, so the user gets a clear
 * problem instead of a crash inside a worker.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** True when `name` resolves from portlab's own node_modules. */
export function canResolve(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
