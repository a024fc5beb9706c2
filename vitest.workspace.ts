// One vitest project per package (each has its own vitest.config.ts), as Effect's v3 repository
// does. A plain list: the root vitest.config.ts hands it to `test.projects`, so vitest no longer
// reads this file as a (deprecated) workspace file, yet the layout keeps it where it is named.
const projects: Array<string> = ["packages/*", "examples"]

export default projects
