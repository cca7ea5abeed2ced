// Writes the workflow bundle to dist/workflow-bundle.js so production workers start without bundling
// (point WORKFLOW_BUNDLE_PATH at it). The Dockerfile runs this at build time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildWorkflowBundle } from '../src/worker/workflow-bundle.js';

const target = process.argv[2] ?? 'dist/workflow-bundle.js';
const { code } = await buildWorkflowBundle();
mkdirSync(target.replace(/\/[^/]+$/, ''), { recursive: true });
writeFileSync(target, code);
console.log(`workflow bundle: ${target} (${Math.round(code.length / 1024)} KiB)`);
