/** Previous and Next for a list shown a page at a time; nothing when everything fits on one page. */
export function Pager({
  offset,
  pageSize,
  total,
  onPage,
}: {
  offset: number;
  pageSize: number;
  total: number;
  /** Asked for the page starting at this offset. */
  onPage: (offset: number) => void;
}) {
  if (total <= pageSize) return null;
  return (
    <div className="pager">
      <button
        type="button"
        className="button"
        disabled={offset === 0}
        onClick={() => onPage(Math.max(0, offset - pageSize))}
      >
        Previous
      </button>
      <button
        type="button"
        className="button"
        disabled={offset + pageSize >= total}
        onClick={() => onPage(offset + pageSize)}
      >
        Next
      </button>
    </div>
  );
}
