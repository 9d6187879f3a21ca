/**
 * The endpoint form's "test connection": one tiny chat completion (it proves the
 * model is served, which /models does not on every server), no retries.
 */
import { createOpenAIClient } from "./client";
import { classifyError } from "./retry";
import { redactSecret } from "./redact";

export interface ConnectionCheck {
  ok: boolean;
  latency_ms: number;
  /** The model name the server reports (may differ from the one asked for, e.g. a served alias). */
  model: string;
  error?: string;
}

export async function testConnection(opts: { baseURL: string; model: string; apiKey?: string; timeoutMs?: number }): Promise<ConnectionCheck> {
  const client = createOpenAIClient({ ...opts, timeoutMs: opts.timeoutMs ?? 15_000 });
  const t0 = performance.now();
  try {
    const res = await client.chat.completions.create({
      model: opts.model,
      messages: [{ role: "user", content: "Reply with the word ok." }],
      max_tokens: 5,
    });
    const latency_ms = Math.round(performance.now() - t0);
    if (!Array.isArray(res.choices) || res.choices.length === 0) {
      return { ok: false, latency_ms, model: opts.model, error: "the server answered without choices" };
    }
    return { ok: true, latency_ms, model: typeof res.model === "string" && res.model ? res.model : opts.model };
  } catch (err) {
    const e = classifyError(err);
    const what = e.status !== undefined ? `${e.kind} (HTTP ${e.status})` : e.kind;
    return {
      ok: false,
      latency_ms: Math.round(performance.now() - t0),
      model: opts.model,
      error: redactSecret(`${what}: ${e.message}`, opts.apiKey),
    };
  }
}
