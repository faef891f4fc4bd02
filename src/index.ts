/**
 * Functions set-up, imported first by `src/main.ts`. Settings are validated when the worker starts, so every
 * missing or invalid setting is reported at once instead of at the first invocation. The runtime module (the
 * settings catalogue and its zod schema) is imported inside the hook, not by this module, so importing the app
 * stays cheap and the host indexes the functions first (DESIGN §4 Start-up cost).
 */
import { app } from '@azure/functions';
import { ensureError } from './core/errors.js';

app.setup({ enableHttpStream: false });

app.hook.appStart(async () => {
  const { appRuntime, processLogger } = await import('./functions/app-runtime.js');
  try {
    appRuntime();
  } catch (error) {
    processLogger.error(`configuration is invalid: ${ensureError(error).message}`);
    throw error;
  }
});
