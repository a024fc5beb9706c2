/**
 * Starts the emulator CLI in its own process on a free loopback port, as a scoped resource.
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import * as url from "node:url"

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..")

export interface Emulator {
  readonly url: string
  readonly pid: number
}

export const startEmulator = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<Emulator, Error>((resume) => {
      const child = spawn(
        process.execPath,
        [
          "--conditions=@tableau-effect/source",
          "--import",
          "tsx",
          path.join(root, "packages/emulator/src/bin.ts"),
          "--port",
          "0",
          ...args
        ],
        { stdio: ["ignore", "pipe", "inherit"] }
      )
      let seen = ""
      child.stdout.setEncoding("utf8")
      child.stdout.on("data", (chunk: string) => {
        seen += chunk
        const match = /listening on (http:\/\/\S+)/.exec(seen)
        if (match !== null) {
          child.stdout.removeAllListeners("data")
          child.stdout.resume()
          resume(Effect.succeed({ url: match[1]!, pid: child.pid! }))
        }
      })
      child.once("exit", (code) => resume(Effect.fail(new Error(`the emulator exited with ${code}`))))
    }),
    (emulator) =>
      Effect.sync(() => {
        try {
          process.kill(emulator.pid, "SIGTERM")
        } catch {
          // already gone
        }
      })
  )
