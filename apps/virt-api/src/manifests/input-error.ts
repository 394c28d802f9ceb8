/** Input the CLI cannot read (missing file, malformed YAML, not an object): exit 2, one line. */
export class CliInputError extends Error {
  override name = 'CliInputError';
}

/** Bad flags or arguments: exit 2 with the usage. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}
