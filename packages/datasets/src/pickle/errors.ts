import { CassdlError } from '@cassdl/schema';

/**
 * A pickle cassdl does not read: a type outside what the plugin's split and
 * id files hold, a protocol Python 3 does not write by default, or a
 * damaged file. The message names what was found and where.
 */
export class CassdlPickleError extends CassdlError<'ERR_CASSDL_PICKLE'> {
  constructor(message: string) {
    super('ERR_CASSDL_PICKLE', message);
  }
}
