import type { ErrorCode } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";

interface ReplyErrorProps {
  code: ErrorCode | undefined;
  message: string | undefined;
  assistantMessageId: string;
}

/** Why a reply failed, in words a user can act on, with the button that fixes it. */
export function ReplyError({ code, message, assistantMessageId }: ReplyErrorProps) {
  const openSettings = useAppState((state) => state.openSettings);
  const regenerate = useAppState((state) => state.regenerate);
  const known = code ?? (/no chat model/i.test(message ?? "") ? "no_model" : undefined);

  if (known === "no_model") {
    return (
      <div className="reply-error" role="alert" data-code="no_model">
        <strong>No chat model is loaded.</strong> Your message is saved and remembered, but Engram needs a local model
        to answer.{" "}
        <button type="button" className="link-button" onClick={() => openSettings("models")}>
          Set up a model
        </button>
      </div>
    );
  }
  if (known === "model_crashed") {
    return (
      <div className="reply-error" role="alert" data-code="model_crashed">
        <strong>The model stopped while answering.</strong> Engram restarted it and kept your message.{" "}
        <button type="button" className="link-button" onClick={() => void regenerate(assistantMessageId)}>
          Try again
        </button>
        {" · "}
        <button type="button" className="link-button" onClick={() => openSettings("models")}>
          Choose a smaller model
        </button>
      </div>
    );
  }
  if (known === "model_load_failed" || known === "insufficient_memory") {
    return (
      <div className="reply-error" role="alert" data-code={known}>
        <strong>The chat model could not run.</strong> {message}{" "}
        <button type="button" className="link-button" onClick={() => openSettings("models")}>
          Choose another model
        </button>
      </div>
    );
  }
  if (known === "bad_input" && /budget/i.test(message ?? "")) {
    return (
      <div className="reply-error" role="alert" data-code="bad_input">
        <strong>This message does not fit.</strong> {message}{" "}
        <button type="button" className="link-button" onClick={() => openSettings("memory")}>
          Memory settings
        </button>
      </div>
    );
  }
  return (
    <div className="reply-error" role="alert" data-code={known ?? "error"}>
      <strong>This reply failed.</strong> {message ?? "Unknown error."}{" "}
      <button type="button" className="link-button" onClick={() => void regenerate(assistantMessageId)}>
        Try again
      </button>
    </div>
  );
}
