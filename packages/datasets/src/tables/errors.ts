/** A table is missing or lacks a column a command needs; `table` is `keyspace.table`. */
export class CassdlTableError extends Error {
  readonly code = 'ERR_CASSDL_TABLE' as const;
  readonly table: string;

  constructor(message: string, table: string) {
    super(message);
    this.name = 'CassdlTableError';
    this.table = table;
  }
}
