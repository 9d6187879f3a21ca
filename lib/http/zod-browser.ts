/**
 * Imported once by the browser bundle (components/providers.tsx). zod v4 probes whether it
 * may compile parsers with `new Function` the first time it parses an object; under the
 * app's Content-Security-Policy (no 'unsafe-eval' in production) that probe is refused and
 * reported as a violation. Jitless parsing gives the same results without the probe.
 */
import { z } from "zod";

z.config({ jitless: true });
