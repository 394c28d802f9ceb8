#!/usr/bin/env node
// Thin launcher so npm can link the bin before the build has produced dist/.
// libvirt calls run on libuv's pool (koffi .async) and each launcher connection keeps one
// worker in libvirt's event loop: size the pool before anything uses it.
process.env.UV_THREADPOOL_SIZE ??= '16';
await import('../dist/main.js');
