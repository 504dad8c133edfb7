/**
 * The shared, allocation-free walk over /proc/net/tcp and /proc/net/tcp6 text. Each row has a fixed layout
 * after its "sl:" prefix (tcp4_seq_show / tcp6_seq_show):
 *   "%4d: %08X:%04X %08X:%04X %02X ..."              (IPv4, address = 8 hex digits)
 *   "%4d: %08X%08X%08X%08X:%04X %08X...:%04X %02X ..." (IPv6, address = 32 hex digits)
 * so fields are read at offsets from the first colon instead of splitting lines or running a regex: with
 * 60,000 sockets a per-line split/regex is what makes a sample slow.
 */
import { PortlabError } from '../errors/index.js';

const COLON = 58;

/** Hex digits of one address: 8 for IPv4, 32 for IPv6. */
export type AddressHexLength = 8 | 32;

/** Offsets of the fields of one row, relative to the start of local_address. */
export interface FieldOffsets {
  localPort: number;
  remoteAddress: number;
  remotePort: number;
  state: number;
}

function offsetsFor(addrLen: AddressHexLength): FieldOffsets {
  return { localPort: addrLen + 1, remoteAddress: addrLen + 6, remotePort: 2 * addrLen + 7, state: 2 * addrLen + 12 };
}

const OFFSETS_V4 = offsetsFor(8);
const OFFSETS_V6 = offsetsFor(32);

/** Field offsets for an address length; shared objects, so the per-row hot path allocates nothing. */
export function fieldOffsets(addrLen: AddressHexLength): Readonly<FieldOffsets> {
  return addrLen === 8 ? OFFSETS_V4 : OFFSETS_V6;
}

/** Reads `length` uppercase or lowercase hex digits at `start`; -1 when one is not a hex digit. */
export function hexAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const c = text.charCodeAt(i);
    let digit: number;
    if (c >= 48 && c <= 57) digit = c - 48;
    else if (c >= 65 && c <= 70) digit = c - 55;
    else if (c >= 97 && c <= 102) digit = c - 87;
    else return -1;
    value = value * 16 + digit;
  }
  return value;
}

function malformed(rowNumber: number, detail: string): PortlabError {
  return new PortlabError('INTERNAL', `unexpected /proc/net/tcp row ${rowNumber}: ${detail}`, {
    hint: 'the kernel printed a layout portlab does not know; please report it with the kernel version',
  });
}

/**
 * Calls `visit(start, addrLen)` for every socket row, where `start` is the index of local_address in `text`,
 * until a visit returns false. The family is detected per row from where the address's colon sits. Throws PortlabError INTERNAL on a
 * layout it does not recognise rather than guessing, since wrong counts would mislead the whole report.
 */
export function scanProcNetTcp(text: string, visit: (start: number, addrLen: AddressHexLength) => void | boolean): void {
  const length = text.length;
  let pos = text.indexOf('\n');
  if (pos < 0) {
    if (text.trim() === '') return;
    pos = length;
  }
  if (!text.slice(0, pos).includes('local_address')) throw malformed(0, 'missing the header line');
  let rowNumber = 0;
  for (pos += 1; pos < length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = length;
    rowNumber++;
    const colon = text.indexOf(':', pos);
    if (colon < 0 || colon >= end) {
      if (text.slice(pos, end).trim() !== '') throw malformed(rowNumber, 'no "sl:" prefix');
    } else {
      const start = colon + 2;
      const addrLen: AddressHexLength = text.charCodeAt(start + 8) === COLON ? 8 : 32;
      if (text.charCodeAt(start + addrLen) !== COLON || start + 2 * addrLen + 14 > end) {
        throw malformed(rowNumber, 'address fields are not where the kernel puts them');
      }
      if (visit(start, addrLen) === false) return;
    }
    pos = end + 1;
  }
}
