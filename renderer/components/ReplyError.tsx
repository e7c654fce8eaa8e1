import type { ErrorCode } from "../../core/api/index.ts";

/** Why a reply failed, in words a user can act on. */
export function ReplyError({ code, message }: { code: ErrorCode | undefined; message: string | undefined }) {
  if (code === "no_model" || (code === undefined && /no chat model/i.test(message ?? ""))) {
    return (
      <div className="reply-error" role="alert" data-code="no_model">
        <strong>No chat model is loaded.</strong> Your message is saved and remembered, but Engram needs a local model
        to answer. Download one or pick a .gguf file in <em>Settings → Models</em>.
      </div>
    );
  }
  return (
    <div className="reply-error" role="alert" data-code={code ?? "error"}>
      <strong>This reply failed.</strong> {message ?? "Unknown error."}
    </div>
  );
}
