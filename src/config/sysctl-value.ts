/** How sysctl values compare: what a lab writes and what the kernel reads back (no imports: the driver uses it). */

/** Whitespace-insensitive comparison of sysctl values: the kernel prints the port range with a tab. */
export function sameSysctlValue(a: string, b: string): boolean {
  return a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
}
