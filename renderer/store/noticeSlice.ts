import type { SliceCreator } from "./appState.ts";

/** A failed action the user should know about (the server went away, a rename was refused, ...). */
export interface NoticeSlice {
  notice: string | null;
  showNotice(error: unknown): void;
  dismissNotice(): void;
}

export const createNoticeSlice = (): SliceCreator<NoticeSlice> => (set) => ({
  notice: null,
  showNotice: (error) => set({ notice: error instanceof Error ? error.message : String(error) }),
  dismissNotice: () => set({ notice: null }),
});
