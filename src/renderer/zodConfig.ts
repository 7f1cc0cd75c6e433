// zod compiles fast object parsers with `new Function` unless told not to, and probes for eval while the
// schemas are being built. The CSP forbids eval (Chromium reports even the probe as a violation), so zod
// must run jitless. main.ts imports this module FIRST, before anything that defines a schema.
import { z } from 'zod';

z.config({ jitless: true });
