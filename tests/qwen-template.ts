/**
 * The Qwen2.5-Instruct and Qwen3 chat templates (tokenizer_config.json `chat_template`, the
 * Jinja source transcribed statement by statement) rendering OpenAI-style messages to text,
 * so the parser tests read exactly what `tokenizer.apply_chat_template(messages, tools=…,
 * tokenize=False)` produces. `tojson` is transformers' filter: Python json.dumps with
 * ensure_ascii=False and the default ", " / ": " separators.
 */

export interface TemplateToolCall {
  id?: string;
  type?: "function";
  function?: { name: string; arguments: Record<string, unknown> | string };
  name?: string;
  arguments?: Record<string, unknown> | string;
}

export interface TemplateMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: TemplateToolCall[];
  reasoning_content?: string;
}

/** Python json.dumps(value, ensure_ascii=False) for JSON values. */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyJson).join(", ")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .map((k) => `${JSON.stringify(k)}: ${pyJson(obj[k])}`)
    .join(", ")}}`;
}

const QWEN25_DEFAULT_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
const TOOLS_HEADER = "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>";
const TOOLS_FOOTER =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n';

const fnOf = (tc: TemplateToolCall) => (tc.function ? tc.function : { name: tc.name!, arguments: tc.arguments! });

/** Qwen2.5-*-Instruct's template. */
export function renderQwen25(messages: readonly TemplateMessage[], opts: { tools?: readonly unknown[]; addGenerationPrompt?: boolean } = {}): string {
  let out = "";
  const first = messages[0];
  if (opts.tools?.length) {
    out += "<|im_start|>system\n";
    out += first?.role === "system" ? first.content! : QWEN25_DEFAULT_SYSTEM;
    out += "\n\n" + TOOLS_HEADER;
    for (const tool of opts.tools) out += "\n" + pyJson(tool);
    out += TOOLS_FOOTER;
  } else if (first?.role === "system") out += "<|im_start|>system\n" + first.content + "<|im_end|>\n";
  else out += "<|im_start|>system\n" + QWEN25_DEFAULT_SYSTEM + "<|im_end|>\n";
  messages.forEach((m, i) => {
    if (m.role === "user" || (m.role === "system" && i > 0) || (m.role === "assistant" && !m.tool_calls?.length)) {
      out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
    } else if (m.role === "assistant") {
      out += "<|im_start|>" + m.role;
      if (m.content) out += "\n" + m.content;
      for (const tc of m.tool_calls ?? []) {
        const fn = fnOf(tc);
        out += '\n<tool_call>\n{"name": "' + fn.name + '", "arguments": ' + pyJson(fn.arguments) + "}\n</tool_call>";
      }
      out += "<|im_end|>\n";
    } else if (m.role === "tool") {
      if (i === 0 || messages[i - 1].role !== "tool") out += "<|im_start|>user";
      out += "\n<tool_response>\n" + m.content + "\n</tool_response>";
      if (i === messages.length - 1 || messages[i + 1].role !== "tool") out += "<|im_end|>\n";
    }
  });
  if (opts.addGenerationPrompt) out += "<|im_start|>assistant\n";
  return out;
}

const stripNl = (s: string, side: "both" | "left" | "right") => {
  let a = 0;
  let b = s.length;
  if (side !== "right") while (a < b && s[a] === "\n") a++;
  if (side !== "left") while (b > a && s[b - 1] === "\n") b--;
  return s.slice(a, b);
};

/** Qwen3's template (thinking models; `enableThinking: false` adds the empty think block to the generation prompt). */
export function renderQwen3(messages: readonly TemplateMessage[], opts: { tools?: readonly unknown[]; addGenerationPrompt?: boolean; enableThinking?: boolean } = {}): string {
  let out = "";
  const first = messages[0];
  if (opts.tools?.length) {
    out += "<|im_start|>system\n";
    if (first?.role === "system") out += first.content + "\n\n";
    out += TOOLS_HEADER;
    for (const tool of opts.tools) out += "\n" + pyJson(tool);
    out += TOOLS_FOOTER;
  } else if (first?.role === "system") out += "<|im_start|>system\n" + first.content + "<|im_end|>\n";
  let multiStepTool = true;
  let lastQueryIndex = messages.length - 1;
  for (let index = messages.length - 1; index >= 0; index--) {
    const m = messages[index];
    const c = m.content ?? "";
    if (multiStepTool && m.role === "user" && !(c.startsWith("<tool_response>") && c.endsWith("</tool_response>"))) {
      multiStepTool = false;
      lastQueryIndex = index;
    }
  }
  messages.forEach((m, i) => {
    const last = i === messages.length - 1;
    if (m.role === "user" || (m.role === "system" && i > 0)) {
      out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
    } else if (m.role === "assistant") {
      let content = m.content ?? "";
      let reasoning = "";
      if (m.reasoning_content !== undefined && m.reasoning_content !== null) reasoning = m.reasoning_content;
      else if (content.includes("</think>")) {
        const parts = content.split("</think>");
        reasoning = stripNl(stripNl(parts[0], "right").split("<think>").at(-1)!, "left");
        content = stripNl(parts.at(-1)!, "left");
      }
      if (i > lastQueryIndex) {
        if (last || reasoning) out += "<|im_start|>" + m.role + "\n<think>\n" + stripNl(reasoning, "both") + "\n</think>\n\n" + stripNl(content, "left");
        else out += "<|im_start|>" + m.role + "\n" + content;
      } else out += "<|im_start|>" + m.role + "\n" + content;
      (m.tool_calls ?? []).forEach((tc, j) => {
        if ((j === 0 && content) || j > 0) out += "\n";
        const fn = fnOf(tc);
        out += '<tool_call>\n{"name": "' + fn.name + '", "arguments": ' + (typeof fn.arguments === "string" ? fn.arguments : pyJson(fn.arguments)) + "}\n</tool_call>";
      });
      out += "<|im_end|>\n";
    } else if (m.role === "tool") {
      if (i === 0 || messages[i - 1].role !== "tool") out += "<|im_start|>user";
      out += "\n<tool_response>\n" + m.content + "\n</tool_response>";
      if (last || messages[i + 1].role !== "tool") out += "<|im_end|>\n";
    }
  });
  if (opts.addGenerationPrompt) {
    out += "<|im_start|>assistant\n";
    if (opts.enableThinking === false) out += "<think>\n\n</think>\n\n";
  }
  return out;
}

/** The project's messages (tool calls as {id, name, arguments}) → the template's OpenAI-style input. */
export function toTemplateMessages(messages: readonly { role: string; content: string | null; tool_calls?: { id: string; name: string; arguments: unknown }[] }[], system?: string): TemplateMessage[] {
  const out: TemplateMessage[] = system ? [{ role: "system", content: system }] : [];
  for (const m of messages) {
    if (m.role === "assistant") {
      out.push({
        role: "assistant",
        content: m.content ?? "",
        ...(m.tool_calls?.length
          ? { tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments as Record<string, unknown> } })) }
          : {}),
      });
    } else out.push({ role: m.role as TemplateMessage["role"], content: m.content });
  }
  return out;
}
