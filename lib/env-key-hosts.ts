/**
 * The WRIT_OPENAI_ENV_KEY_HOSTS allow-list: its default and its parser. Read by lib/settings.ts
 * when the environment is validated (level 0, so it lives here rather than beside the key
 * policy in lib/agents/openai/env-key.ts, which uses it).
 */

/** OpenAI's API host: the host OPENAI_API_KEY is for when the operator says nothing else. */
export const DEFAULT_ENV_KEY_HOSTS: readonly string[] = ["api.openai.com"];

const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * Parse the comma-separated `host[:port]` list. Returns the normalised entries (lowercase,
 * as `URL.host` writes them: no port for the scheme's default) or the entries that are bad.
 */
export function parseEnvKeyHosts(text: string): { hosts: string[]; bad: string[] } {
  const hosts: string[] = [];
  const bad: string[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const m = HOST_ENTRY.exec(entry);
    const port = m?.[1] === undefined ? undefined : Number(m[1]);
    if (!m || (port !== undefined && (port < 1 || port > 65535))) bad.push(raw.trim());
    else hosts.push(entry);
  }
  return { hosts, bad };
}
