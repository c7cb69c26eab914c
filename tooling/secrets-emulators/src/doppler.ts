/**
 * The Doppler API as bruin uses it, written from Doppler's API reference:
 * `GET /v3/configs/config/secrets/download?project=&config=&format=json`
 * with `Authorization: Bearer <token>` returns every secret of the config as
 * one flat JSON object of strings. A missing or unknown token answers 401
 * `Invalid Auth token`; a token of another project or config 403; an unknown
 * project or config 404, with Doppler's `{"messages": [...], "success": false}`.
 */
import { HttpEmulator, type FaultRule, type LoggedRequest } from "./http-emulator.js";

export type DopplerRoute = "download";

export interface DopplerSeed {
  /** Token → the project and config it may read (a service token is bound to one config). */
  tokens: Record<string, { project: string; config: string }>;
  /** Project → config → secret name → value. */
  projects: Record<string, Record<string, Record<string, string>>>;
}

export interface DopplerEmulator {
  readonly url: string;
  readonly requests: ReadonlyArray<LoggedRequest<DopplerRoute>>;
  count(route: DopplerRoute | "total"): number;
  inject(rule: FaultRule<DopplerRoute>): void;
  stop(): Promise<void>;
}

const failed = (message: string) => ({ messages: [message], success: false });

export async function startDopplerEmulator(options: { seed: DopplerSeed; port?: number }): Promise<DopplerEmulator> {
  const { seed } = options;
  const emulator = new HttpEmulator<DopplerRoute>(
    (request, url) => {
      if (request.method !== "GET" || url.pathname !== "/v3/configs/config/secrets/download") {
        return { route: "other", answer: () => ({ status: 404, body: failed("Not found") }) };
      }
      return {
        route: "download",
        answer: () => {
          const header = request.headers.authorization ?? "";
          const match = /^Bearer (.+)$/.exec(header);
          const grant = match ? seed.tokens[match[1]!] : undefined;
          if (!grant) return { status: 401, body: failed("Invalid Auth token") };
          const project = url.searchParams.get("project") ?? "";
          const config = url.searchParams.get("config") ?? "";
          if (grant.project !== project || grant.config !== config) {
            return { status: 403, body: failed("You do not have access to the requested config") };
          }
          const secrets = seed.projects[project]?.[config];
          if (!secrets) return { status: 404, body: failed("Could not find requested config") };
          if ((url.searchParams.get("format") ?? "json") !== "json")
            return { status: 400, body: failed("Unsupported format") };
          return {
            status: 200,
            body: {
              ...secrets,
              DOPPLER_PROJECT: project,
              DOPPLER_CONFIG: config,
              DOPPLER_ENVIRONMENT: config.split("_")[0],
            },
          };
        },
      };
    },
    (status) =>
      status === 429
        ? failed("You have exceeded the rate limit")
        : status === 401
          ? failed("Invalid Auth token")
          : status === 403
            ? failed("You do not have access to the requested config")
            : status === 404
              ? failed("Could not find requested config")
              : failed("Internal server error"),
  );
  await emulator.start(options.port);
  return {
    get url() {
      return emulator.url;
    },
    requests: emulator.requests,
    count: (route) => emulator.count(route),
    inject: (rule) => emulator.inject(rule),
    stop: () => emulator.stop(),
  };
}
