/** Node's error codes for a certificate that is not trusted, not valid now, or not for this host. */
const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "INVALID_CA",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

const TLS_CODE_PATTERN = /^ERR_(SSL|TLS)_|CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|HOSTNAME_MISMATCH|INVALID_CA/;

/**
 * The TLS error code of a failed request (Node's own, or somewhere in a fetch
 * error's `cause` chain), if it is one: a certificate that is not trusted, not
 * valid now, or not for this host. Such a failure is never worth a retry.
 */
export function tlsErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (TLS_CODES.has(code) || TLS_CODE_PATTERN.test(code))) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
