import type { ErrorCode } from "../../core/api/index.ts";
import type { SliceCreator } from "../store/appState.ts";

/** A failed action the user should know about (the server went away, a rename was refused, ...). */
export interface NoticeSlice {
  notice: string | null;
  /** The contract's error code of the notice, when it came from a call, so the bar can say what to do. */
  noticeCode: ErrorCode | null;
  showNotice(error: unknown): void;
  dismissNotice(): void;
}

const codeOf = (error: unknown): ErrorCode | null =>
  typeof error === "object" && error !== null && "code" in error ? ((error as { code: ErrorCode }).code ?? null) : null;

export const createNoticeSlice = (): SliceCreator<NoticeSlice> => (set) => ({
  notice: null,
  noticeCode: null,
  showNotice: (error) =>
    set({ notice: error instanceof Error ? error.message : String(error), noticeCode: codeOf(error) }),
  dismissNotice: () => set({ notice: null, noticeCode: null }),
});
