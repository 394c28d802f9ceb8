/**
 * The entries of a JSON list in a launcher env variable (the disks virt-controller lists for it),
 * each as a record to check; throws an Error naming the variable when it is not a JSON list.
 */
export function envJsonList(name: string, text: string): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(value)) throw new Error(`${name} must be a JSON list`);
  return value.map((entry: unknown) => (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>);
}
