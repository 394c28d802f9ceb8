#!/usr/bin/env -S node --max-semi-space-size=1 --jitless --optimize-for-size
// Thin launcher so npm can link the bin before the build has produced dist/.
// One launcher runs per VM and mostly waits, so its flags trade speed for resident memory
// (bench/src/launcher.bench.ts): a 1 MiB young generation (about -5 MiB), no JIT (about -7 MiB;
// start-up to ready unchanged at about 1 s), V8's size-over-speed heuristics (about -2 MiB).
// No --no-expose-wasm: Node 24's V8 no longer has the flag and refuses to start with it (Node 20
// prints one warning that jitless disables WebAssembly instead).
await import('../dist/main.js');
