#!/usr/bin/env -S node --max-semi-space-size=1
// Thin launcher so npm can link the bin before the build has produced dist/.
// --max-semi-space-size=1: one launcher runs per VM and idles; a 1 MiB young generation keeps
// its resident memory about 10 MiB lower (bench/src/launcher.bench.ts) at no visible cost.
await import('../dist/main.js');
