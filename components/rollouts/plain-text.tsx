/**
 * Model and tool output is untrusted: it is rendered as a React text child only (escaped
 * by React), never through dangerouslySetInnerHTML or a markdown-to-HTML renderer, so
 * `<script>` or `<img onerror>` inside a message shows literally.
 */
export function PlainText({ text, className = "", testId }: { text: string; className?: string; testId?: string }) {
  return (
    <div data-testid={testId} className={"text-sm leading-relaxed break-words whitespace-pre-wrap " + className}>
      {text}
    </div>
  );
}
