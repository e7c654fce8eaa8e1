// A child process for the crash test: opens an engine on a data folder, imports a file and reports progress on
// stdout, until the test kills it (SIGKILL, mid-import) or it finishes.
import { Engine } from "../../core/engine.ts";

const [dataDir, path] = process.argv.slice(2);
const engine = await Engine.open({ dataDir: dataDir!, runJobs: false });
engine.events.on("jobs.progress", (event) => {
  if (event.kind === "import") process.stdout.write(`progress ${event.done}/${event.total}\n`);
});
const result = await engine.call("conversations.importFile", { source: "chatgpt", path: path! });
process.stdout.write(`done ${result.conversations}\n`);
await engine.dispose();
