/**
 * Addresses as /proc/net/tcp(6) prints them. The kernel prints each 32-bit word of the address with %08X
 * from host memory, so on little-endian hosts (x86-64, arm64: every machine portlab runs on) the bytes of
 * each word come out reversed: 127.0.0.1 is "0100007F"; ::1 is "00000000000000000000000001000000".
 */

function byteAt(hex: string, index: number): number {
  return parseInt(hex.slice(index, index + 2), 16);
}

/** Bytes of an address in network order, undoing the per-word little-endian print. */
function addressBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    for (let b = 3; b >= 0; b--) bytes.push(byteAt(hex, word + b * 2));
  }
  return bytes;
}

/** "0100007F" -> "127.0.0.1". */
export function hexToIpv4(hex: string): string {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) throw new RangeError(`not an IPv4 hex address: "${hex}"`);
  return addressBytes(hex).join('.');
}

/**
 * 32 hex digits -> the RFC 5952 text form ("::1", "fe80::1", "::ffff:127.0.0.1"), which is also how Node
 * prints socket addresses, so keys built from it match what the engine records.
 */
export function hexToIpv6(hex: string): string {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) throw new RangeError(`not an IPv6 hex address: "${hex}"`);
  const bytes = addressBytes(hex);
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  return compressGroups(groups);
}

/** RFC 5952: the longest run of two or more zero groups becomes "::" (the first one on a tie). */
function compressGroups(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = groups.map((g) => g.toString(16));
  if (bestStart < 0) return text.join(':');
  const head = text.slice(0, bestStart).join(':');
  const tail = text.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

