import { readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { z } from "zod";
import { EngramError } from "../errors.ts";

/** The lock itself: a folder proper-lockfile creates atomically and keeps fresh while its owner lives. */
export const lockFolderName = "engram.lock";
/** Who holds the lock, for the message a second process shows and to notice an owner that died. */
export const lockOwnerFileName = "engram.lock.owner.json";

/**
 * A lock not refreshed for this long belongs to a process that is gone (or frozen that long), and may be taken. Long,
 * because a busy machine can delay a refresh by seconds and a lost lock stops the app; a killed owner on this machine
 * is noticed at once by its pid (`ownerIsGone`), so recovery after a crash does not wait for this.
 */
const staleAfterMs = 30_000;
/** How often the owner refreshes the lock. */
const refreshEveryMs = 2_000;
/** An owner found dead is checked again after this pause: a new owner writes its record just after taking the lock. */
const deadOwnerRecheckMs = 250;

const LockOwner = z.object({
  pid: z.number().int(),
  hostname: z.string(),
  startedAt: z.string(),
  purpose: z.string(),
});
type LockOwner = z.infer<typeof LockOwner>;

export interface DataFolderLockOptions {
  /** What holds the folder, shown to a second process ("the desktop app", "npm run serve"). */
  purpose?: string;
  /** Where a lost lock is reported (another process took the folder after this one froze for `staleAfterMs`). */
  onLost?: (error: Error) => void;
}

/**
 * One writer per data folder. LanceDB gives no protection against two processes appending to the same tables, so the
 * desktop app and `npm run serve` (or two `serve`s) must never open one folder together: the second is refused with a
 * message naming the first. The lock survives nothing but its owner: a lock left by a process that crashed (kill -9,
 * power loss) is taken over at once when its recorded process is gone from this machine, and otherwise once it has
 * not been refreshed for ten seconds, so a crash never locks the user out.
 */
export class DataFolderLock {
  readonly dataDir: string;
  #release: (() => Promise<void>) | null;
  readonly #state: LockState;

  private constructor(dataDir: string, release: () => Promise<void>, state: LockState) {
    this.dataDir = dataDir;
    this.#release = release;
    this.#state = state;
  }

  /** Takes the lock of `dataDir` (which must exist), or throws `conflict` naming the process that holds it. */
  static async acquire(dataDir: string, options: DataFolderLockOptions = {}): Promise<DataFolderLock> {
    const state: LockState = { lost: false };
    const release = await takeLock(dataDir, options, state, true);
    const owner: LockOwner = {
      pid: process.pid,
      hostname: hostname(),
      startedAt: new Date().toISOString(),
      purpose: options.purpose ?? "Engram",
    };
    try {
      await writeFile(join(dataDir, lockOwnerFileName), JSON.stringify(owner));
    } catch (error) {
      await release();
      throw error;
    }
    return new DataFolderLock(dataDir, release, state);
  }

  /** Whether this lock is still held (released or lost otherwise). */
  get held(): boolean {
    return this.#release !== null && !this.#state.lost;
  }

  /** Lets the folder go; idempotent, and a no-op once the lock was lost (it was reported then, through `onLost`). */
  async release(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    // A lost lock may belong to another process by now: its owner record is that process's, not ours to remove.
    if (!release || this.#state.lost) return;
    await rm(join(this.dataDir, lockOwnerFileName), { force: true });
    try {
      await release();
    } catch (error) {
      // Lost between the check above and now (proper-lockfile marks a lock compromised from its refresh timer).
      if ((error as NodeJS.ErrnoException).code !== "ERELEASED") throw error;
    }
  }
}

/** What the refresh timer learned: once proper-lockfile declares the lock compromised, it has let it go. */
interface LockState {
  lost: boolean;
}

async function takeLock(
  dataDir: string,
  options: DataFolderLockOptions,
  state: LockState,
  mayTakeFromDeadOwner: boolean,
): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: join(dataDir, lockFolderName),
      stale: staleAfterMs,
      update: refreshEveryMs,
      realpath: false,
      // Another process took the folder after this one could not refresh the lock in time: writing on would make two
      // writers, so say it loudly. The default (throwing from a timer) would kill the app mid-write instead.
      onCompromised: (error) => {
        state.lost = true;
        (options.onLost ?? ((lost) => console.error(`Engram: the data folder lock was lost: ${lost.message}`)))(error);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const owner = await readOwner(dataDir);
    if (mayTakeFromDeadOwner && owner && (await ownerIsGone(dataDir, owner))) {
      // Mark the lock as stale; proper-lockfile then removes and takes it with its own atomic steps.
      await utimes(join(dataDir, lockFolderName), new Date(0), new Date(0));
      return takeLock(dataDir, options, state, false);
    }
    throw new EngramError("conflict", describeHolder(dataDir, owner), { cause: error });
  }
}

async function readOwner(dataDir: string): Promise<LockOwner | null> {
  try {
    const parsed = LockOwner.safeParse(JSON.parse(await readFile(join(dataDir, lockOwnerFileName), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch (error) {
    // No record (the owner is between taking the lock and writing it) or a torn one: the owner is unknown.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** True when the recorded owner ran on this machine and no longer exists, twice in a row (see deadOwnerRecheckMs). */
async function ownerIsGone(dataDir: string, owner: LockOwner): Promise<boolean> {
  if (owner.hostname !== hostname() || isAlive(owner.pid)) return false;
  await new Promise((resolve) => setTimeout(resolve, deadOwnerRecheckMs));
  const again = await readOwner(dataDir);
  return again !== null && again.pid === owner.pid && again.startedAt === owner.startedAt && !isAlive(again.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describeHolder(dataDir: string, owner: LockOwner | null): string {
  const who = owner
    ? `${owner.purpose} (process ${owner.pid}${owner.hostname === hostname() ? "" : ` on ${owner.hostname}`}, since ${owner.startedAt})`
    : "another Engram";
  return `The data folder ${dataDir} is in use by ${who}. Only one Engram can use a data folder at a time: close the other one, or start this one with another folder (--data DIR).`;
}
