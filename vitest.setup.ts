import { effect, flakyTest, it, layer, live, prop, scoped, scopedLive } from "@effect/vitest"

// Run before every test file. @effect/vitest's `layer(...)` writes its own `effect`, `scoped`, ...
// onto vitest's one `it` object, for the rest of the file. A worker keeps its modules from one
// file to the next (`isolate: false`), so without this a layer in one file would hand its
// services (or its missing TestClock) to the `it.effect` of the next file the worker runs.
Object.assign(it, { effect, live, flakyTest, scoped, scopedLive, layer, prop })
