// Error answers shaped like Infisical's fastify error handler:
// `{ reqId, statusCode, message, error }`, where `message` is an array of
// zod issues for 422 ValidationFailure and a string otherwise.

export interface ValidationIssue {
  code: string;
  path: Array<string | number>;
  message: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorName: string,
    readonly body: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "string" ? body : "ValidationFailure");
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, "BadRequest", message);
export const unauthorized = (message: string): ApiError => new ApiError(401, "UnauthorizedError", message);
export const notFound = (message: string): ApiError => new ApiError(404, "NotFound", message);
export const tokenError = (message: string): ApiError => new ApiError(403, "TokenError", message);
export const validationFailure = (issues: ValidationIssue[]): ApiError =>
  new ApiError(422, "ValidationFailure", issues);

/** Infisical's CASL ForbiddenError message for a secrets read. */
export const readDenied = (): ApiError =>
  new ApiError(403, "PermissionDenied", "You are not allowed to read on secrets");

export const TOKEN_EXPIRED = "Your token has expired. Please re-authenticate.";
export const TOKEN_MALFORMED =
  "The provided access token is malformed. Please use a valid token or generate a new one and try again.";

/**
 * The answer an injected fault produces. 401 (a refused token), 429 and 500 come from Infisical
 * itself; 502/503/504 normally come from a proxy in front of it, but are
 * sent in the same JSON shape so clients see one error format.
 */
export function faultError(status: number, retryAfterSeconds: number | undefined): ApiError {
  switch (status) {
    case 429:
      if (retryAfterSeconds === undefined) return new ApiError(429, "RateLimitExceeded", "Rate limit exceeded");
      return new ApiError(
        429,
        "RateLimitExceeded",
        `Rate limit exceeded. Please try again in ${retryAfterSeconds} seconds`,
        { "retry-after": String(retryAfterSeconds) },
      );
    case 401:
      return unauthorized("Token missing");
    case 403:
      return readDenied();
    case 502:
      return new ApiError(502, "BadGateway", "Bad Gateway");
    case 503:
      return new ApiError(503, "ServiceUnavailable", "Service Unavailable");
    case 504:
      return new ApiError(504, "GatewayTimeoutError", "Gateway Timeout");
    default:
      return new ApiError(status, "InternalServerError", "Something went wrong");
  }
}
