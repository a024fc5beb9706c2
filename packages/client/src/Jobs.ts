/**
 * Jobs: what Tableau answers for work it does in the background (an extract refresh, a
 * publish). `Job` is the XSD's `jobType`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import { optional } from "./internal/fields.js"
import * as X from "./internal/xsd.js"

const wire = Generated.JobType.fields

/**
 * A job (the XSD's `jobType`): its id, type (an open enumeration: `RefreshExtract`,
 * `PublishWorkbook`, ... and whatever a newer server adds), progress (0 to 100), its times, and
 * once it ended its `finishCode` (0 succeeded, 1 failed, 2 cancelled) and status notes.
 *
 * @since 0.1.0
 * @category Models
 */
export class Job extends Schema.Class<Job>("@tableau-effect/client/Job")({
  id: wire.id.from,
  type: wire.type,
  mode: wire.mode,
  progress: wire.progress,
  finishCode: wire.finishCode,
  createdAt: wire.createdAt,
  startedAt: wire.startedAt,
  completedAt: wire.completedAt,
  updatedAt: wire.updatedAt,
  /** What an extract refresh job refreshes, and its notes. */
  extractRefreshJob: optional(X.element(Generated.ExtractRefreshJobType)),
  statusNotes: wire.statusNotes
}) {}
