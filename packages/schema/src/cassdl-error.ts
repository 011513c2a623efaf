/**
 * The one base of every error a cassdl package throws on purpose, so a caller
 * tells "cassdl refused or failed, and says why" (`instanceof CassdlError`)
 * from a bug elsewhere, and branches on the stable `code` rather than on
 * message text. Each package narrows `Code` to its own codes. Messages name
 * what failed and what to fix; they never carry a password, a private key or
 * a key passphrase.
 */
export class CassdlError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
