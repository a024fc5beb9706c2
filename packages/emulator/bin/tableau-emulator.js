#!/usr/bin/env node
// The published CLI: the compiled entry point (npm run build, or npm ci at the repository root).
import "../dist/bin.js"
