// Builds (or loads) the workflow bundle once, so workers start without re-bundling.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Path of the workflows' entry module. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles src/workflows with Temporal's bundler (which refuses Node built-ins in workflow code). */
export async function buildWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
}

/** Loads a bundle written by `npm run build:workflows` when present, else builds one. */
export async function loadWorkflowBundle(path?: string): Promise<{ code: string } | WorkflowBundleWithSourceMap> {
  if (path && existsSync(path)) return { code: readFileSync(path, 'utf8') };
  return buildWorkflowBundle();
}

const noop = () => {};
/** Temporal's bundler logger with only its warnings and errors. */
export const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};
