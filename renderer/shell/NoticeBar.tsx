import { useAppState } from "../store/storeContext.ts";

export function NoticeBar() {
  const notice = useAppState((state) => state.notice);
  const code = useAppState((state) => state.noticeCode);
  const dismiss = useAppState((state) => state.dismissNotice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert">
      {code === "unauthorized" ? (
        // The server makes a new token at every start, so a tab left open across a restart loses access.
        <span>
          This page is no longer connected: Engram was restarted with a new access key. Open the address it printed (the
          one ending in <code>#token=…</code>) again.
        </span>
      ) : (
        <span>{notice}</span>
      )}
      <button type="button" className="button subtle" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
