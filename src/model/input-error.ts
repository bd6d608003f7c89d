/**
 * An error caused by what the user asked for (unknown design, bad number, broken SQL file), as
 * opposed to a violation of the property. The CLI maps it to exit code 2 and prints one line.
 */
export class InputError extends Error {
  override name = 'InputError';
}
