/**
 * The programs the nat lab runs, found on PATH or in the sbin folders (Debian leaves /usr/sbin, where ip and
 * iptables live, off an ordinary user's PATH). A missing one is a LAB_UNAVAILABLE with the package to install.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PortlabError } from '../../errors/index.js';

const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Debian package of each tool, for the hint. */
const PACKAGES = {
  unshare: 'util-linux',
  setpriv: 'util-linux',
  nsenter: 'util-linux',
  ip: 'iproute2',
  iptables: 'iptables',
} as const;

export type NatToolName = keyof typeof PACKAGES;
export type NatTools = Record<NatToolName, string>;

/** The first executable `name` on PATH or in the sbin folders; null when there is none. */
export function findTool(name: string, pathEnv = process.env['PATH'] ?? ''): string | null {
  const dirs = [...pathEnv.split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Every tool the lab needs, or LAB_UNAVAILABLE naming what to install. */
export function natTools(find: (name: string) => string | null = (name) => findTool(name)): NatTools {
  const found: Partial<NatTools> = {};
  const missing: NatToolName[] = [];
  for (const name of Object.keys(PACKAGES) as NatToolName[]) {
    const path = find(name);
    if (path === null) missing.push(name);
    else found[name] = path;
  }
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((name) => PACKAGES[name]))];
    throw new PortlabError('LAB_UNAVAILABLE', `the nat lab needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed`, {
      hint: `install ${packages.join(' and ')} (Debian: apt-get install ${packages.join(' ')})`,
    });
  }
  return found as NatTools;
}
