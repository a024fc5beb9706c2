/**
 * Writes: a project created, a project created inside it, the first renamed, and both deleted
 * again (deleting a project deletes what it holds), so the example leaves the site as it was.
 * Needs a user who may create top-level projects (a site or server administrator).
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx projects.ts
 *   (or, against the bundled emulator: npm run example -w examples -- projects)
 */
import { FetchHttpClient } from "@effect/platform"
import { Projects, TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Effect, Layer } from "effect"

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

// The project is deleted when the scope closes, whether what follows succeeded, failed or was
// interrupted (Ctrl-C): an example must not leave projects behind.
const exampleProject = (name: string) =>
  Effect.acquireRelease(
    Effect.tap(
      Projects.create({ name, description: "Made by examples/projects.ts" }),
      (project) => Effect.logInfo(`Created project ${project.name} (${project.id})`)
    ),
    (project) =>
      Projects.remove(project.id).pipe(
        Effect.zipRight(Effect.logInfo(`Deleted project ${project.id} and what it held`)),
        Effect.catchAll((error) => Effect.logWarning(`Could not delete project ${project.id}: ${error.message}`))
      )
  )

const program = Effect.scoped(Effect.gen(function*() {
  const top = yield* exampleProject(`tableau-effect example ${new Date().toISOString().slice(0, 19)}`)
  const child = yield* Projects.create({ name: "Reports", parentProjectId: top.id })
  yield* Effect.logInfo(`Created project ${child.name} inside it (${child.id})`)
  const renamed = yield* Projects.update(top.id, { name: `${top.name} (renamed)` })
  yield* Effect.logInfo(`Renamed it to ${renamed.name}`)
}))

TableauRuntime.runMain(Effect.provide(program, TableauLive))
