/**
 * A pickle cassdl does not read: a type outside what the plugin's split and
 * id files hold, a protocol Python 3 does not write by default, or a
 * damaged file. The message names what was found and where.
 */
export class CassdlPickleError extends Error {
  readonly code = 'ERR_CASSDL_PICKLE' as const;

  constructor(message: string) {
    super(message);
    this.name = 'CassdlPickleError';
  }
}
