#!/usr/bin/env -S node --max-semi-space-size=1 --jitless --no-expose-wasm --optimize-for-size
// Thin launcher so npm can link the bin before the build has produced dist/.
// One launcher runs per VM and mostly waits, so its flags trade speed for resident memory
// (bench/src/launcher.bench.ts): a 1 MiB young generation (about -5 MiB), no JIT (about -7 MiB;
// start-up to ready unchanged at about 1 s), V8's size-over-speed heuristics (about -2 MiB).
// --no-expose-wasm: jitless has no WebAssembly; saying so keeps V8 from warning about it.
await import('../dist/main.js');
