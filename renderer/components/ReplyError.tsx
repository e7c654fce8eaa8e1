import type { ErrorCode } from "../../core/api/index.ts";
import { useAppState } from "../store/storeContext.ts";

/** Why a reply failed, in words a user can act on. */
export function ReplyError({ code, message }: { code: ErrorCode | undefined; message: string | undefined }) {
  const openModelPanel = useAppState((state) => state.openModelPanel);
  if (code === "no_model" || (code === undefined && /no chat model/i.test(message ?? ""))) {
    return (
      <div className="reply-error" role="alert" data-code="no_model">
        <strong>No chat model is loaded.</strong> Your message is saved and remembered, but Engram needs a local model
        to answer.{" "}
        <button type="button" className="link-button" onClick={openModelPanel}>
          Set up a model
        </button>
      </div>
    );
  }
  return (
    <div className="reply-error" role="alert" data-code={code ?? "error"}>
      <strong>This reply failed.</strong> {message ?? "Unknown error."}
    </div>
  );
}
