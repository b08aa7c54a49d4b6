import { createRequire } from 'node:module';

/**
 * CommonJS `require` for things resolved at run time: the optional tfjs-node, the wasm package's
 * Emscripten files (external to the esbuild bundle), and the `os` module object the glue reads.
 */
export const nodeRequire = createRequire(__filename);
