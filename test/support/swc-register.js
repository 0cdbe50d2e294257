// Lets a child Node process require TypeScript sources as Jest runs them (swc, no type-check):
// `node -r ./test/support/swc-register.js some-child.ts`. Test-only; never loaded by the app.
const fs = require('node:fs');
const swc = require('@swc/core');

require.extensions['.ts'] = (module, filename) =>
  module._compile(
    swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        keepClassNames: true,
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    }).code,
    filename,
  );
