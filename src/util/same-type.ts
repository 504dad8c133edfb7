/**
 * A compile-time proof that two types agree: `const _agrees: Same<z.output<typeof schema>, T> = true` fails
 * the build as soon as a schema and the TypeScript type it checks drift apart (a field added, dropped or
 * retyped on one side only).
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
