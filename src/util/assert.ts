/** Exhaustiveness check for discriminated unions: a new variant without a case fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(value)}`);
}
