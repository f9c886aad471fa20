#!/usr/bin/env node
// Marque's command line. The TypeScript sources run directly on Node 24 (type stripping).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
