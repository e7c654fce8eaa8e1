import { useState } from "react";
import type { Message } from "../../../core/api/index.ts";
import { copyText } from "../../shell/copyText.ts";
import { useAppState } from "../../store/storeContext.ts";

/** Copy a reply; answer again (the last reply only, since a new answer replaces it). */
export function MessageActions({ message, canRegenerate }: { message: Message; canRegenerate: boolean }) {
  const regenerate = useAppState((state) => state.regenerate);
  const [copied, setCopied] = useState(false);
  return (
    <div className="message-actions">
      {message.content ? (
        <button
          type="button"
          className="text-button"
          onClick={() =>
            void copyText(message.content).then((done) => {
              setCopied(done);
              if (done) setTimeout(() => setCopied(false), 1500);
            })
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
      ) : null}
      {canRegenerate ? (
        <button type="button" className="text-button" onClick={() => void regenerate(message.id)}>
          Regenerate
        </button>
      ) : null}
    </div>
  );
}
