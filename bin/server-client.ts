/**
 * For commands that talk to a running WRIT Lab server instead of the database file
 * (`--server URL`): sends WRIT_ACCESS_TOKEN as a bearer token when it is set, so the CLI
 * works against a team server protected by an access token.
 */
import { CliError } from "./cli-kit";

export async function fetchServerJson(server: string, path: string, init: RequestInit = {}): Promise<unknown> {
  let url: URL;
  try {
    url = new URL(path, server);
  } catch {
    throw new CliError(`--server must be a URL such as http://127.0.0.1:3000, got "${server}"`);
  }
  const token = process.env.WRIT_ACCESS_TOKEN;
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  const res = await fetch(url, { ...init, headers }).catch((err: unknown) => {
    throw new CliError(`cannot reach ${url.origin}: ${(err as Error).message}`);
  });
  const body: unknown = await res.json().catch(() => null);
  if (res.status === 401) throw new CliError("the server needs an access token: set WRIT_ACCESS_TOKEN");
  if (!res.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
    throw new CliError(`${url.pathname}: ${res.status} ${message}`);
  }
  return body;
}
