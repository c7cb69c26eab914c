import type { Agent } from "node:http";

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for a backend whose SDK talks over
 * `node:http(s)` rather than `fetch` (the AWS SDK), which the process-wide
 * undici dispatcher of bin.ts does not reach. The same rules as undici's
 * EnvHttpProxyAgent: the lower-case variable first; an https endpoint uses
 * HTTPS_PROXY, else HTTP_PROXY; an http endpoint HTTP_PROXY; NO_PROXY lists
 * hosts (`host`, `host:port`, `.domain` or `*.domain`, or `*` for all) reached
 * directly, a domain covering its subdomains. Answers `undefined` (and loads
 * nothing) when no proxy variable is set.
 */
export async function proxyAgentFor(
  env: Record<string, string | undefined>,
): Promise<((endpoint: URL) => Agent | undefined) | undefined> {
  const read = (name: string) => (env[name.toLowerCase()] ?? env[name] ?? "").trim() || undefined;
  const httpProxy = read("HTTP_PROXY");
  const httpsProxy = read("HTTPS_PROXY") ?? httpProxy;
  if (httpProxy === undefined && httpsProxy === undefined) return undefined;
  const { HttpsProxyAgent } = await import("https-proxy-agent");
  const noProxy = (read("NO_PROXY") ?? "").split(/[\s,]+/).filter(Boolean);
  return (endpoint) => {
    const proxy = endpoint.protocol === "https:" ? httpsProxy : httpProxy;
    if (proxy === undefined || bypassed(endpoint, noProxy)) return undefined;
    // A CONNECT tunnel to the endpoint: the proxy sees the host and port only, never a header or a path.
    return new HttpsProxyAgent(proxy, { keepAlive: true }) as unknown as Agent;
  };
}

function bypassed(endpoint: URL, entries: string[]): boolean {
  const host = endpoint.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = endpoint.port || (endpoint.protocol === "https:" ? "443" : "80");
  return entries.some((raw) => {
    if (raw === "*") return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase().replace(/^\[|\]$/g, ""))!;
    const name = match[1]!.replace(/^\*?\./, "");
    if (match[2] !== undefined && match[2] !== port) return false;
    return host === name || host.endsWith(`.${name}`);
  });
}
