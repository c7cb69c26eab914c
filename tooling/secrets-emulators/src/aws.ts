/**
 * AWS Secrets Manager as bruin uses it, written from the Secrets Manager API
 * reference and the AWS JSON 1.1 protocol: every call is `POST /` with
 * `Content-Type: application/x-amz-json-1.1`, the operation in
 * `X-Amz-Target: secretsmanager.<Operation>`, and a Signature Version 4
 * `Authorization` header. Errors are a 4xx/5xx with `{"__type", "message"}`.
 *
 * - `GetSecretValue` `{SecretId}` → `{ARN, Name, VersionId, SecretString, VersionStages, CreatedDate}`;
 * - `BatchGetSecretValue` `{SecretIdList}` (at most 20) → `{SecretValues, Errors}`, a missing or denied secret
 *   being an entry of `Errors` rather than a failure of the call;
 * - `ListSecrets` `{Filters: [{Key: "name", Values}], MaxResults, NextToken}` → `{SecretList, NextToken}`.
 *
 * Auth check: the access key of the `Credential=` scope must be seeded (else
 * 400 `UnrecognizedClientException`), the signature must be the one its
 * secret key gives (else 400 `InvalidSignatureException`), and a seeded
 * session token must be sent as `X-Amz-Security-Token`. A key may be denied
 * some secrets (400 `AccessDeniedException`). A missing secret is 400
 * `ResourceNotFoundException`. Injected faults answer with the status asked
 * for and the matching AWS error type (404 ResourceNotFound, 403 AccessDenied,
 * 429 ThrottlingException, 5xx InternalServiceError).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpEmulator, type Answer, type FaultRule, type LoggedRequest } from "./http-emulator.js";

export type AwsRoute = "GetSecretValue" | "BatchGetSecretValue" | "ListSecrets";

export interface AwsCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry it as `X-Amz-Security-Token`. */
  sessionToken?: string;
  /** Secret names (or `*`) this key may not read. */
  deny?: string[];
}

export interface AwsSeed {
  credentials: AwsCredential[];
  /** Secret name → its SecretString. */
  secrets: Record<string, string>;
  /** The region in the ARNs (default us-east-1). */
  region?: string;
}

export interface AwsEmulator {
  readonly url: string;
  readonly requests: ReadonlyArray<LoggedRequest<AwsRoute>>;
  /** Requests per operation and `total`. */
  count(route: AwsRoute | "total"): number;
  /** The SecretIds asked for by every BatchGetSecretValue so far, one array per call. */
  readonly batches: ReadonlyArray<readonly string[]>;
  inject(rule: FaultRule<AwsRoute>): void;
  put(name: string, value: string): void;
  stop(): Promise<void>;
}

const ROUTES = new Set<string>(["GetSecretValue", "BatchGetSecretValue", "ListSecrets"]);
const ACCOUNT = "123456789012";
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

const error = (status: number, type: string, message: string): Answer => ({
  status,
  body: { __type: type, message },
});

export async function startAwsSecretsManagerEmulator(options: { seed: AwsSeed; port?: number }): Promise<AwsEmulator> {
  const { seed } = options;
  const region = seed.region ?? "us-east-1";
  const secrets = new Map(Object.entries(seed.secrets));
  const batches: string[][] = [];
  const arn = (name: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`;
  const nameOf = (id: string) => (id.startsWith("arn:") ? /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(id)?.[1] : id);
  const denied = (credential: AwsCredential, action: string, name: string) =>
    error(
      400,
      "AccessDeniedException",
      `User: arn:aws:iam::${ACCOUNT}:user/${credential.accessKeyId} is not authorized to perform: secretsmanager:${action} on resource: ${name} because no identity-based policy allows the secretsmanager:${action} action`,
    );
  const mayRead = (credential: AwsCredential, name: string) =>
    !(credential.deny ?? []).some((entry) => entry === "*" || entry === name);

  const emulator = new HttpEmulator<AwsRoute>(
    (request, url, body) => {
      const target = String(request.headers["x-amz-target"] ?? "");
      const operation = target.startsWith("secretsmanager.") ? target.slice("secretsmanager.".length) : "";
      if (request.method !== "POST" || url.pathname !== "/" || !ROUTES.has(operation)) {
        return {
          route: "other",
          answer: () => error(400, "UnknownOperationException", `unknown operation ${JSON.stringify(target)}`),
        };
      }
      return {
        route: operation as AwsRoute,
        answer: () => {
          const auth = authenticate(request, body, seed.credentials);
          if ("status" in auth) return auth;
          let input: Record<string, unknown>;
          try {
            input = JSON.parse(body || "{}") as Record<string, unknown>;
          } catch {
            return error(400, "SerializationException", "the request body is not JSON");
          }
          const value = (name: string) => ({
            ARN: arn(name),
            Name: name,
            VersionId: "00000000-0000-0000-0000-000000000001",
            SecretString: secrets.get(name),
            VersionStages: ["AWSCURRENT"],
            CreatedDate: 1_700_000_000,
          });
          if (operation === "GetSecretValue") {
            const id = typeof input.SecretId === "string" ? input.SecretId : "";
            if (id === "") return error(400, "InvalidParameterException", "SecretId is required.");
            const name = nameOf(id) ?? id;
            if (!mayRead(auth, name)) return denied(auth, "GetSecretValue", id);
            if (!secrets.has(name)) return error(400, "ResourceNotFoundException", NOT_FOUND);
            return { status: 200, body: value(name) };
          }
          if (operation === "BatchGetSecretValue") {
            const ids = Array.isArray(input.SecretIdList) ? input.SecretIdList.map(String) : [];
            if (ids.length === 0 || ids.length > 20) {
              return error(400, "InvalidParameterException", "SecretIdList must hold 1 to 20 secret IDs.");
            }
            batches.push(ids);
            if (!mayRead(auth, "*BatchGetSecretValue")) return denied(auth, "BatchGetSecretValue", "*");
            const SecretValues: unknown[] = [];
            const Errors: unknown[] = [];
            for (const id of ids) {
              const name = nameOf(id) ?? id;
              if (!mayRead(auth, name)) {
                Errors.push({
                  SecretId: id,
                  ErrorCode: "AccessDeniedException",
                  Message: `User is not authorized to perform: secretsmanager:GetSecretValue on resource: ${id}`,
                });
              } else if (!secrets.has(name)) {
                Errors.push({ SecretId: id, ErrorCode: "ResourceNotFoundException", Message: NOT_FOUND });
              } else {
                SecretValues.push(value(name));
              }
            }
            return { status: 200, body: { SecretValues, Errors } };
          }
          // ListSecrets: names only (with ARNs), sorted, paged by MaxResults.
          if (!mayRead(auth, "*ListSecrets")) return denied(auth, "ListSecrets", "*");
          const filters = Array.isArray(input.Filters)
            ? (input.Filters as Array<{ Key?: string; Values?: string[] }>)
            : [];
          const prefixes = filters.filter((filter) => filter.Key === "name").flatMap((filter) => filter.Values ?? []);
          const names = [...secrets.keys()]
            .filter((name) => prefixes.length === 0 || prefixes.some((prefix) => name.startsWith(prefix)))
            .sort();
          const max = typeof input.MaxResults === "number" ? Math.min(100, Math.max(1, input.MaxResults)) : 100;
          const start = typeof input.NextToken === "string" ? Number(input.NextToken) : 0;
          if (!Number.isInteger(start) || start < 0) return error(400, "InvalidNextTokenException", "bad NextToken");
          const page = names.slice(start, start + max);
          return {
            status: 200,
            body: {
              SecretList: page.map((name) => ({ ARN: arn(name), Name: name, LastChangedDate: 1_700_000_000 })),
              ...(start + max < names.length ? { NextToken: String(start + max) } : {}),
            },
          };
        },
      };
    },
    (status) =>
      status === 429
        ? { __type: "ThrottlingException", message: "Rate exceeded" }
        : status === 404
          ? { __type: "ResourceNotFoundException", message: NOT_FOUND }
          : status === 403
            ? { __type: "AccessDeniedException", message: "Access denied" }
            : status === 401
              ? {
                  __type: "UnrecognizedClientException",
                  message: "The security token included in the request is invalid.",
                }
              : { __type: "InternalServiceError", message: "An error occurred on the server side." },
  );
  await emulator.start(options.port);
  return {
    get url() {
      return emulator.url;
    },
    requests: emulator.requests,
    batches,
    count: (route) => emulator.count(route),
    inject: (rule) => emulator.inject(rule),
    put: (name, value) => void secrets.set(name, value),
    stop: () => emulator.stop(),
  };
}

/**
 * Checks the SigV4 `Authorization` header: a known access key, the signature
 * its secret key gives over the canonical request, and the session token when
 * the key has one. Answers the credential, or the error AWS gives.
 */
function authenticate(request: IncomingMessage, body: string, credentials: AwsCredential[]): AwsCredential | Answer {
  const header = String(request.headers.authorization ?? "");
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!match) {
    return error(400, "IncompleteSignatureException", "Authorization header requires a Signature Version 4 signature.");
  }
  const [, accessKeyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  const credential = credentials.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!credential) {
    return error(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  const names = signedHeaders!.split(";");
  const amzDate = String(request.headers["x-amz-date"] ?? "");
  if (!names.includes("host") || !names.includes("x-amz-date") || !amzDate.startsWith(day!)) {
    return error(400, "IncompleteSignatureException", "The request signature must cover host and x-amz-date.");
  }
  const canonical = [
    request.method ?? "POST",
    "/",
    "",
    ...names.map((name) => `${name}:${headerValue(request, name)}`),
    "",
    signedHeaders,
    createHash("sha256").update(body).digest("hex"),
  ].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  let key: Buffer = hmac(`AWS4${credential.secretAccessKey}`, day!);
  for (const part of [region!, service!, "aws4_request"]) key = hmac(key, part);
  const expected = createHmac("sha256", key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature!, "hex"))) {
    return error(
      400,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    );
  }
  if (credential.sessionToken !== undefined && request.headers["x-amz-security-token"] !== credential.sessionToken) {
    return error(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  return credential;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function headerValue(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return text.trim().replace(/\s+/g, " ");
}
