import { CassdlError } from '@cassdl/schema';

/** A table is missing or lacks a column a command needs; `table` is `keyspace.table`. */
export class CassdlTableError extends CassdlError<'ERR_CASSDL_TABLE'> {
  readonly table: string;

  constructor(message: string, table: string) {
    super('ERR_CASSDL_TABLE', message);
    this.table = table;
  }
}
