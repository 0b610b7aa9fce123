/**
 * Runtime lists of a generated union's members. The type check makes the list exhaustive:
 * when the spec adds or renames a member, `tsc` fails here instead of a request failing later.
 */
type Missing<T, A extends readonly unknown[]> = [Exclude<T, A[number]>] extends [never]
  ? unknown
  : { missing: Exclude<T, A[number]> };

export function allOf<T extends string>() {
  return <const A extends readonly T[]>(values: A & Missing<T, A>): readonly T[] => values;
}
