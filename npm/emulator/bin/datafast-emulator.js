#!/usr/bin/env node
// `npx datafast-emulator …`: runs this platform's binary with the same arguments, passing
// Ctrl+C and termination on and exiting with its status.
'use strict';
const { spawn } = require('node:child_process');
const { binaryPath } = require('../index.js');

let bin;
try {
  bin = binaryPath();
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
