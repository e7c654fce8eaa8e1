/** Shown when the page was opened without its token (e.g. the address was typed without the #token part). */
export function MissingConnection() {
  return (
    <div className="missing-connection">
      <h1>Engram</h1>
      <p>
        This page needs the full address printed by <code>npm run serve</code>, including the part after{" "}
        <code>#token=</code>. Open that address again.
      </p>
    </div>
  );
}
