// The error a counterpart handler throws to answer with a given status and error code. Its own
// module (not http.ts) because the body readers in raw-body.ts throw it too, and http.ts imports them.

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/** Throw from a handler to answer with a specific status and error code. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { details?: ErrorDetails; headers?: Readonly<Record<string, string>>; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
  }
}
