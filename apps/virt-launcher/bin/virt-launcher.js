#!/usr/bin/env node
// Thin launcher so npm can link the bin before the build has produced dist/.
await import('../dist/main.js');
