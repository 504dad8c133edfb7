/**
 * Preloaded with `node --import` by socket-reader.test.ts: the process then finds no `koffi`, as on an
 * install where the optional dependency did not build, without touching node_modules.
 */
import { register } from 'node:module';

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'koffi') throw Object.assign(new Error("Cannot find package 'koffi'"), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
