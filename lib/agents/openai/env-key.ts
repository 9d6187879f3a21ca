/**
 * Which API key a request to an OpenAI-compatible endpoint carries: the one place the
 * server's OPENAI_API_KEY is handed out (endpoint test, experiment drivers).
 *
 * Why so strict: anyone who can call the API (or save an endpoint through it) chooses the
 * base URL, so "send the server's key to the URL in the request" lets a caller collect the
 * operator's key on a host of their own. The key is the operator's secret, so only the
 * operator's configuration decides where it goes: the hosts in WRIT_OPENAI_ENV_KEY_HOSTS.
 * A saved endpoint is no exception (saving one is an API call too); an endpoint that needs a
 * key for another host stores its own key.
 * The CLI is the operator and names its key variable itself (factory `apiKeyEnv`).
 */

import { DEFAULT_ENV_KEY_HOSTS } from "../../env-key-hosts";

export { DEFAULT_ENV_KEY_HOSTS, parseEnvKeyHosts } from "../../env-key-hosts";

export type KeySource = "endpoint" | "server_env" | "none";

export interface KeyPolicyEnv {
  OPENAI_API_KEY?: string;
  /** Parsed allow-list (lib/settings.ts); DEFAULT_ENV_KEY_HOSTS when absent. */
  WRIT_OPENAI_ENV_KEY_HOSTS?: readonly string[];
}

/**
 * The key to send to `baseURL`: the endpoint's own stored (or caller-given) key when there
 * is one, else the server's OPENAI_API_KEY if the URL's host:port is allow-listed, else none.
 */
export function resolveOpenAIKey(
  target: { baseURL: string; ownKey?: string | null },
  env: KeyPolicyEnv,
): { apiKey: string | undefined; source: KeySource } {
  if (target.ownKey) return { apiKey: target.ownKey, source: "endpoint" };
  if (env.OPENAI_API_KEY && envKeyAllowedFor(target.baseURL, env)) return { apiKey: env.OPENAI_API_KEY, source: "server_env" };
  return { apiKey: undefined, source: "none" };
}

export function envKeyAllowedFor(baseURL: string, env: Pick<KeyPolicyEnv, "WRIT_OPENAI_ENV_KEY_HOSTS">): boolean {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return false;
  }
  const hostname = url.hostname.toLowerCase();
  const effectivePort = url.port || (url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "");
  const allowed = env.WRIT_OPENAI_ENV_KEY_HOSTS ?? DEFAULT_ENV_KEY_HOSTS;
  return allowed.some((entry) => {
    const { hostname: h, port } = splitHostEntry(entry);
    // No port in the entry: only HTTPS on its default port (a caller's own service on
    // another port of an allowed name is not the allowed service, and plain http:// would
    // send the key unencrypted). An entry with a port is the operator's explicit choice.
    return h === hostname && (port === undefined ? url.port === "" && url.protocol === "https:" : port === effectivePort);
  });
}

function splitHostEntry(entry: string): { hostname: string; port?: string } {
  const m = /^(.*?)(?::(\d+))?$/.exec(entry)!;
  return { hostname: m[1], ...(m[2] !== undefined ? { port: String(Number(m[2])) } : {}) };
}
