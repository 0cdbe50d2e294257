// CommonJS Jest with @swc/jest. Nest 12 (and content-disposition, used by @fastify/static) ship ESM
// only, and Jest on Node 20 cannot require() ESM, so swc also transforms the ESM packages listed in
// transformIgnorePatterns. Add any new ESM-only dependency that Jest loads there.
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/projections', '<rootDir>/seeds', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': swc('typescript'), '^.+\\.m?js$': swc('ecmascript') },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs/|cookie/|light-my-request/node_modules/cookie/|content-disposition/))'],
  testTimeout: 30000,
};
