import { useAppState } from "../store/storeContext.ts";

export function NoticeBar() {
  const notice = useAppState((state) => state.notice);
  const dismiss = useAppState((state) => state.dismissNotice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert">
      <span>{notice}</span>
      <button type="button" className="button subtle" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
