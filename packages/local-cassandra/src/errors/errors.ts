import { CassdlError } from '@cassdl/schema';

/**
 * Errors thrown by @cassdl/local-cassandra. Each names what went wrong and,
 * where one exists, what to do about it; `code` lets callers branch without
 * parsing messages.
 */
export type LocalCassandraErrorCode =
  | 'PREREQUISITE_MISSING'
  | 'RESOLVE_FAILED'
  | 'PORT_IN_USE'
  | 'DIR_NOT_OURS'
  | 'START_FAILED'
  | 'START_TIMEOUT'
  | 'INVALID_OPTION'
  | 'CERT_GENERATION_FAILED'
  | 'SERVER_NOT_IN_TIER';

export class LocalCassandraError extends CassdlError<LocalCassandraErrorCode> {}

/** `java` (JDK 17+), `mvn`, `openssl` or `keytool` is missing and could not be installed. */
export class PrerequisiteError extends LocalCassandraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PREREQUISITE_MISSING', message, options);
    this.name = 'PrerequisiteError';
  }
}

/** A port the cluster needs is held by a process that is not this cluster. */
export class PortInUseError extends LocalCassandraError {
  readonly address: string;
  readonly port: number;

  constructor(address: string, port: number, hint: string) {
    super('PORT_IN_USE', `${address}:${port} is already in use by another process. ${hint}`);
    this.name = 'PortInUseError';
    this.address = address;
    this.port = port;
  }
}

/** The server did not answer CQL within the bounded wait, or exited while starting. */
export class StartTimeoutError extends LocalCassandraError {
  readonly logTail: string;

  constructor(
    message: string,
    logTail: string,
    code: 'START_TIMEOUT' | 'START_FAILED' = 'START_TIMEOUT',
  ) {
    super(code, `${message}\n--- server log (tail) ---\n${logTail}`);
    this.name = 'StartTimeoutError';
    this.logTail = logTail;
  }
}

/** An option value is out of range; the message names the option and the value. */
export class LocalCassandraOptionError extends LocalCassandraError {
  constructor(option: string, expected: string, received: unknown) {
    super(
      'INVALID_OPTION',
      `${option}: expected ${expected}, received ${JSON.stringify(received)} (${typeof received})`,
    );
    this.name = 'LocalCassandraOptionError';
  }
}

/**
 * A test asked for Cassandra while `CASSDL_TEST_TIER=unit` (`pnpm test:unit`),
 * the tier that must pass with no server: the test belongs in a
 * `*.int.test.ts` file, which only `pnpm test` runs.
 */
export class ServerNotInTierError extends LocalCassandraError {
  constructor() {
    super(
      'SERVER_NOT_IN_TIER',
      'this test needs Cassandra, but CASSDL_TEST_TIER=unit runs only tests that need none: ' +
        'rename its file to *.int.test.ts (run by `pnpm test`) or remove the server dependency',
    );
    this.name = 'ServerNotInTierError';
  }
}
