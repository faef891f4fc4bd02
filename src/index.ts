/**
 * Functions entry point (listed first in package.json `main`). Settings are validated when the worker
 * starts, so every missing or invalid setting is reported at once instead of at the first invocation.
 */
import { app } from '@azure/functions';
import { appRuntime, processLogger } from './functions/app-runtime.js';
import { ensureError } from './core/errors.js';

app.setup({ enableHttpStream: false });

app.hook.appStart(() => {
  try {
    appRuntime();
  } catch (error) {
    processLogger.error(`configuration is invalid: ${ensureError(error).message}`);
    throw error;
  }
});
