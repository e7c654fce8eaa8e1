import { useEffect, useMemo } from "react";
import { useAppState } from "../../store/storeContext.ts";
import { rangeOfBucket, timelineBuckets, type TimelineGranularity } from "./timelineSlice.ts";

/** How much was remembered per day or month; a bar opens the turns of its day or month. */
export function TimelineTab() {
  const episodes = useAppState((state) => state.timelineEpisodes);
  const granularity = useAppState((state) => state.timelineGranularity);
  const progress = useAppState((state) => state.timelineProgress);
  const loadTimeline = useAppState((state) => state.loadTimeline);
  const setGranularity = useAppState((state) => state.setTimelineGranularity);
  const setRange = useAppState((state) => state.setEpisodeDateRange);
  const setTab = useAppState((state) => state.setMemoryTab);

  useEffect(() => {
    void loadTimeline();
  }, [loadTimeline]);

  const buckets = useMemo(() => (episodes ? timelineBuckets(episodes, granularity) : []), [episodes, granularity]);
  const highest = Math.max(1, ...buckets.map((bucket) => bucket.count));

  return (
    <div className="timeline-tab">
      <div className="filter-bar">
        <fieldset className="segmented">
          <legend className="offscreen">Bars per</legend>
          {(["day", "month"] as TimelineGranularity[]).map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="timeline-granularity"
                value={option}
                checked={granularity === option}
                onChange={() => setGranularity(option)}
              />
              <span>Per {option}</span>
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          className="button subtle"
          disabled={progress !== null}
          onClick={() => void loadTimeline()}
        >
          Refresh
        </button>
      </div>
      {!episodes ? (
        <p className="hint">{progress ? `Reading conversations… ${progress.read} of ${progress.total}` : "Loading…"}</p>
      ) : buckets.length === 0 ? (
        <p className="hint">Nothing remembered yet.</p>
      ) : (
        <>
          <p className="hint">
            {episodes.length.toLocaleString()} remembered turns, by the {granularity} they were said. Choose a bar to
            list its turns.
          </p>
          <div className="timeline-chart">
            <div className="timeline" role="list" aria-label={`Turns remembered per ${granularity}`}>
              {buckets.map((bucket) => (
                <button
                  key={bucket.key}
                  type="button"
                  role="listitem"
                  className="timeline-bar"
                  data-empty={bucket.count === 0 || undefined}
                  aria-label={`${bucket.key}: ${bucket.count} turn${bucket.count === 1 ? "" : "s"}`}
                  title={`${bucket.key}: ${bucket.count}`}
                  disabled={bucket.count === 0}
                  onClick={() => {
                    setRange(rangeOfBucket(bucket.key, granularity));
                    setTab("episodes");
                  }}
                >
                  <span className="timeline-fill" style={{ height: `${(bucket.count / highest) * 100}%` }} />
                </button>
              ))}
            </div>
            <div className="timeline-axis" aria-hidden="true">
              <span>{buckets[0]?.key}</span>
              <span>{buckets.at(-1)?.key}</span>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
