/**
 * The embedded database's data folder: where it is, making sure it can be written and has room,
 * the lock file that keeps a second process out, and what a failed file-system call means.
 */
import fs from "node:fs";
import path from "node:path";

/** The embedded database's folder: DATA_DIR, or ./.data beside the project. */
export function dataDirectory(): string {
  const configured = process.env.DATA_DIR;
  return configured ? path.resolve(configured) : path.join(process.cwd(), ".data");
}

/**
 * What a failed file-system call means for the data folder, in words an operator can act on; null
 * when it is none of the known causes. Node gives a code; the embedded Postgres only a message.
 */
export function dataFolderProblem(dataDir: string, error: unknown): string | null {
  const message = String((error as Error)?.message ?? error);
  const code =
    (error as NodeJS.ErrnoException).code ??
    (/No space left on device/i.test(message) ? "ENOSPC" : /Permission denied/i.test(message) ? "EACCES" : /Read-only file system/i.test(message) ? "EROFS" : undefined);
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `This user may not write to the data folder ${dataDir} (permission denied). Give this user write access to it, or set DATA_DIR to a folder it may write.`;
    case "ENOSPC":
    case "EDQUOT":
      return `The disk holding the data folder ${dataDir} is full (no space left on the device). Free some space, or set DATA_DIR to a folder on another disk.`;
    case "EROFS":
      return `The data folder ${dataDir} is on a read-only disk. Set DATA_DIR to a folder on a writable disk.`;
    case "ENOTDIR":
    case "EEXIST":
      return `The data folder ${dataDir} cannot be created: a file, not a folder, is in the way. Move that file, or set DATA_DIR to another folder.`;
    default:
      return null;
  }
}

/** The embedded database needs room to start and to take an upload: below this, starting is refused. */
const MINIMUM_FREE_BYTES = 64_000_000;

export function prepareDataDirectory(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.R_OK);
    // A real write: access() answers yes for root even where writing then fails (a read-only disk).
    const probe = path.join(dataDir, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, "ok");
    fs.rmSync(probe);
  } catch (error) {
    const problem =
      dataFolderProblem(dataDir, error) ??
      `The data folder ${dataDir} cannot be created or written (${(error as Error).message}). Give this user write access to it, free some disk space, or set DATA_DIR to another folder.`;
    throw new Error(problem, { cause: error });
  }
  const { bavail, bsize } = fs.statfsSync(dataDir);
  if (bavail * bsize < MINIMUM_FREE_BYTES) {
    throw new Error(
      `The disk holding the data folder ${dataDir} has only ${((bavail * bsize) / 1e6).toFixed(1)} MB free; the embedded database needs at least ` +
        `${(MINIMUM_FREE_BYTES / 1e6).toFixed(0)} MB to start safely. Free some space, or set DATA_DIR to a folder on another disk.`,
    );
  }
}

/**
 * Two processes opening one PGlite folder corrupt it, so a lock file beside the folder names the
 * process holding it. A lock left by a process that no longer runs is taken over.
 */
export function takeLock(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/[\\/]+$/, "")}.lock`;
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
    if (holder && holder !== process.pid && processIsRunning(holder)) {
      throw new Error(
        `The embedded database in ${dataDir} is already open in another process (pid ${holder}). ` +
          "Stop that process first (for example the running dashboard), or set DATA_DIR to another folder.",
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    try {
      if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on("exit", release);
  return release;
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
