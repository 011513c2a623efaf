import { CassdlError } from '@cassdl/schema';

/** A split cannot be made from this table as asked; `table` names it. */
export class CassdlSplitError extends CassdlError<'ERR_CASSDL_SPLIT'> {
  readonly table: string;

  constructor(message: string, table: string) {
    super('ERR_CASSDL_SPLIT', message);
    this.table = table;
  }
}
