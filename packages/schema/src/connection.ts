import { z } from 'zod';
import { contactPointSchema } from './contact-point.js';
import { pemOrPathSchema } from './pem.js';
import { integer } from './validation/numbers.js';
import { addIssue } from './validation/refine.js';
import { whenValid } from './validation/when-valid.js';

/** Defaults of the connection options, in one place. */
export const CONNECTION_DEFAULTS = {
  port: 9042,
  useSsl: false,
  sslRejectUnauthorized: true,
  connectTimeoutMs: 5000,
  requestTimeoutMs: 12000,
} as const;

const timeoutMs = integer(1, 3_600_000);

/**
 * The connection options as a user writes them: each field checked on its
 * own, nothing defaulted yet. Cross-field rules and defaults are applied by
 * `connectionOptionsSchema` (and by the reader, which also accepts the
 * DALI-style top-level `username`, `useSsl`, ... and merges them in).
 */
export const connectionFieldsSchema = z.strictObject({
  /** Hosts to discover the cluster from, each `host` or `host:port`. Required unless `cloudConfig`. */
  contactPoints: z.array(contactPointSchema).optional(),
  /** CQL native port for contact points without one. Default 9042. */
  port: integer(1, 65535).optional(),
  /** Data center whose replicas are read first. Default: detected from the cluster when connecting. */
  localDataCenter: z.string().min(1).optional(),
  /** PasswordAuthenticator user; needs `password`. */
  username: z.string().min(1).optional(),
  /** PasswordAuthenticator password; needs `username`. Never printed in errors. */
  password: z.string().optional(),
  /** Encrypt connections with TLS. Default false (true when any `ssl*` file is given). */
  useSsl: z.boolean().optional(),
  /** CA certificate(s) to verify the server with: file path or PEM. Default: the system store. */
  sslCertificate: pemOrPathSchema.optional(),
  /** Client certificate for mutual TLS: file path or PEM; needs `sslOwnKey`. */
  sslOwnCertificate: pemOrPathSchema.optional(),
  /** Client private key for mutual TLS: file path or PEM; needs `sslOwnCertificate`. */
  sslOwnKey: pemOrPathSchema.optional(),
  /** Passphrase of an encrypted `sslOwnKey`. */
  sslOwnKeyPass: z.string().optional(),
  /** Name sent as SNI and checked against the server certificate. Default: the host. */
  sslServerName: z.string().min(1).optional(),
  /** Reject servers whose certificate does not verify. Default true. */
  sslRejectUnauthorized: z.boolean().optional(),
  /** DataStax Astra: the secure connect bundle (zip path); excludes `contactPoints`. */
  cloudConfig: z.strictObject({ secureConnectBundle: z.string().min(1) }).optional(),
  /** Time to open a connection. Default 5000. */
  connectTimeoutMs: timeoutMs.optional(),
  /** Time for one request before it is retried elsewhere. Default 12000. */
  requestTimeoutMs: timeoutMs.optional(),
});

export type ConnectionFields = z.output<typeof connectionFieldsSchema>;
export type ConnectionOptionsInput = z.input<typeof connectionFieldsSchema>;

/** Connection options with every default applied. */
export interface ConnectionOptions {
  /** Empty only when `cloudConfig` names the hosts. */
  readonly contactPoints: string[];
  readonly port: number;
  /**
   * The data center the client reads from. Unset: detected when connecting
   * (the cluster's only data center, or the contact points' one), and the
   * reader's `options` then show the detected name.
   */
  readonly localDataCenter?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly useSsl: boolean;
  readonly sslCertificate?: string | undefined;
  readonly sslOwnCertificate?: string | undefined;
  readonly sslOwnKey?: string | undefined;
  readonly sslOwnKeyPass?: string | undefined;
  readonly sslServerName?: string | undefined;
  readonly sslRejectUnauthorized: boolean;
  readonly cloudConfig?: { readonly secureConnectBundle: string } | undefined;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

type Key = keyof ConnectionFields;
const TLS_FILES = ['sslCertificate', 'sslOwnCertificate', 'sslOwnKey'] as const;

/** `[needed, given]`: the first field must be set whenever the second is. */
const REQUIRED_TOGETHER: readonly (readonly [Key, Key])[] = [
  ['password', 'username'],
  ['username', 'password'],
  ['sslOwnCertificate', 'sslOwnKey'],
  ['sslOwnKey', 'sslOwnCertificate'],
  ['sslOwnKey', 'sslOwnKeyPass'],
];

/**
 * The rules that tie connection fields together. `pathOf` says where each
 * field came from so the error points at what the user actually wrote.
 */
export function checkConnectionRules(
  c: ConnectionFields,
  ctx: z.core.$RefinementCtx,
  pathOf: (key: Key) => PropertyKey[] = (key) => [key],
): void {
  const points = c.contactPoints;
  if (c.cloudConfig !== undefined && points !== undefined && points.length > 0) {
    addIssue(
      ctx,
      pathOf('contactPoints'),
      'no contactPoints with cloudConfig (the bundle names the hosts)',
      points,
    );
  } else if (c.cloudConfig === undefined && (points === undefined || points.length === 0)) {
    addIssue(
      ctx,
      pathOf('contactPoints'),
      'non-empty list of "host" or "host:port" (or a cloudConfig)',
      points,
    );
  }
  // A field needed because another is set; one line per missing field.
  const missing = new Map<Key, Key>();
  for (const [needed, given] of REQUIRED_TOGETHER) {
    if (c[given] !== undefined && c[needed] === undefined && !missing.has(needed)) {
      missing.set(needed, given);
    }
  }
  for (const [needed, given] of missing) {
    addIssue(ctx, pathOf(needed), `a value because ${given} is set`, undefined);
  }
  const tlsFile = TLS_FILES.find((key) => c[key] !== undefined);
  if (c.useSsl === false && tlsFile !== undefined) {
    addIssue(ctx, pathOf('useSsl'), `true or unset (${tlsFile} is given)`, c.useSsl);
  }
}

/** Fills the defaults; TLS is on when asked for or when any TLS file is given. */
export function applyConnectionDefaults(c: ConnectionFields): ConnectionOptions {
  const d = CONNECTION_DEFAULTS;
  return {
    ...c,
    contactPoints: c.contactPoints ?? [],
    port: c.port ?? d.port,
    useSsl: c.useSsl ?? TLS_FILES.some((key) => c[key] !== undefined),
    sslRejectUnauthorized: c.sslRejectUnauthorized ?? d.sslRejectUnauthorized,
    connectTimeoutMs: c.connectTimeoutMs ?? d.connectTimeoutMs,
    requestTimeoutMs: c.requestTimeoutMs ?? d.requestTimeoutMs,
  };
}

/** Connection options: checked field by field, then together, then defaulted. */
export const connectionOptionsSchema = connectionFieldsSchema
  .superRefine(
    (c, ctx) => checkConnectionRules(c, ctx),
    whenValid(Object.keys(connectionFieldsSchema.shape)),
  )
  .transform(applyConnectionDefaults);
