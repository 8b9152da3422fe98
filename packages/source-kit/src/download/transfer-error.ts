/** A failed transfer; `permanent` means trying the same URL again is pointless (404, bad certificate…). */
export interface TransferError extends Error {
  permanent: boolean;
  /** The HTTP status, when the server answered with an error. */
  status?: number;
}

export function transferError(message: string, permanent: boolean, cause?: unknown, status?: number): TransferError {
  const error = new Error(message, cause === undefined ? undefined : { cause }) as TransferError;
  error.permanent = permanent;
  if (status !== undefined) error.status = status;
  return error;
}

export function isTransferError(error: unknown): error is TransferError {
  return error instanceof Error && typeof (error as Partial<TransferError>).permanent === 'boolean';
}

// TLS verification failures do not heal by retrying.
const PERMANENT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_INVALID_URL',
]);

/** Any error from a transfer as a TransferError (network errors are worth retrying unless listed). */
export function asTransferError(error: unknown): TransferError {
  if (isTransferError(error)) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return transferError(message, code !== undefined && PERMANENT_CODES.has(code), error);
}
