/** Bad input to a PKI helper: names the field and why it was refused. */
export class PkiInputError extends Error {
  override readonly name = 'PkiInputError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
