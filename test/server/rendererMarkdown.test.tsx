/**
 * Message text is untrusted (model output, recalled memory, imports): rendered as Markdown without ever becoming
 * markup, script or a request to another computer.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderToStaticMarkup } from "react-dom/server";
import { MessageMarkdown } from "../../renderer/features/chat/MessageMarkdown.tsx";

const render = (text: string) => renderToStaticMarkup(<MessageMarkdown text={text} />);

test("Markdown with GitHub extensions: emphasis, lists, tables and code blocks", () => {
  const html = render(
    "Some **bold** text\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconsole.log(1)\n```",
  );
  assert.match(html, /<strong>bold<\/strong>/);
  assert.match(html, /<li>one<\/li>/);
  assert.match(html, /<table>.*<td>1<\/td>/s);
  assert.match(html, /<pre><code class="language-js">console.log\(1\)\n<\/code><\/pre>/);
  assert.match(html, /Copy code/);
});

test("raw HTML is shown as the text it is, never as elements", () => {
  const html = render('Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> <b>bold?</b>');
  assert.doesNotMatch(html, /<script|<img|<b>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;b&gt;bold\?&lt;\/b&gt;/);
});

test("javascript: links lose their target; ordinary links open outside the app without a referrer", () => {
  const html = render("[click](javascript:alert(1)) and [docs](https://example.org/page)");
  assert.doesNotMatch(html, /javascript:/);
  assert.match(html, /<a href="https:\/\/example.org\/page" target="_blank" rel="noreferrer noopener">docs<\/a>/);
});

test("an image is a link to click, never loaded", () => {
  const html = render("![tracker](https://tracker.example/pixel.png)");
  assert.doesNotMatch(html, /<img/);
  assert.match(
    html,
    /<a class="markdown-image" href="https:\/\/tracker.example\/pixel.png"[^>]*>\[image: tracker\]<\/a>/,
  );
});
