/** A cheap identity for a message, so drivers can tell a continued conversation from a new one. */
export function messageFingerprint(m: { role: string; content?: string | null; tool_calls?: { id: string }[]; tool_call_id?: string } | undefined): string {
  if (!m) return "";
  return `${m.role}|${m.content ?? ""}|${m.tool_calls?.map((c) => c.id).join(",") ?? ""}|${m.tool_call_id ?? ""}`;
}
