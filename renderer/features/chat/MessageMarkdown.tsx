import { useRef, useState, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { copyText } from "../../shell/copyText.ts";

/** A code block with its own Copy button. */
function CodeBlock({ children }: { children?: ReactNode }) {
  const block = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);
  return (
    <div className="code-block">
      <pre ref={block}>{children}</pre>
      <button
        type="button"
        className="code-copy"
        onClick={() =>
          void copyText(block.current?.textContent ?? "").then((done) => {
            setCopied(done);
            if (done) setTimeout(() => setCopied(false), 1500);
          })
        }
      >
        {copied ? "Copied" : "Copy code"}
      </button>
    </div>
  );
}

/**
 * How untrusted text may render: links open outside the app and never carry a referrer; images are shown as links,
 * never loaded (a remembered image URL must not make this computer fetch anything).
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  img: ({ src, alt }) => (
    <a
      className="markdown-image"
      href={typeof src === "string" ? src : undefined}
      target="_blank"
      rel="noreferrer noopener"
    >
      [image{alt ? `: ${alt}` : ""}]
    </a>
  ),
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
};

interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
}

/** Turns raw HTML in the Markdown into plain text, so `<b>` reads as what was written and is never markup. */
function rawHtmlAsText() {
  const walk = (node: MarkdownNode) => {
    if (node.type === "html") node.type = "text";
    node.children?.forEach(walk);
  };
  return walk;
}

/**
 * Message text as Markdown with GitHub extensions (tables, lists, code). Text from the model or from memory is
 * untrusted: raw HTML is shown as the text it is (never parsed into the page), and react-markdown's URL filter
 * removes `javascript:` and other unsafe links.
 */
export function MessageMarkdown({ text }: { text: string }) {
  return (
    <div className="message-text markdown">
      <Markdown remarkPlugins={[remarkGfm, rawHtmlAsText]} skipHtml components={components}>
        {text}
      </Markdown>
    </div>
  );
}
