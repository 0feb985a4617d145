/**
 * The layering of docs/architecture.md, checked: `npm run check:deps` (CI runs it, .ci/run).
 * Type-only imports count (tsPreCompilationDeps): a pure stage that imports an adapter's type still depends on it.
 */
const PURE_STAGES = '^src/(boundary|enrich|features|graph|rules)/';
const ADAPTERS = '^src/(kafka|state|replication|cli|replay)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'ui-is-browser-code',
      severity: 'error',
      comment:
        'The browser UI (src/console/ui/web/) runs in the page: it imports only itself and its npm packages, and the server only for types (esbuild, platform browser, refuses Node built-ins).',
      from: { path: '^src/console/ui/web/' },
      to: { path: '^src/', pathNot: '^src/console/ui/web/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles in src/ (type-only ones included).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-imports-nothing',
      severity: 'error',
      comment: 'src/domain/ holds the types shared by every stage; it imports nothing else from src/.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'only-kafka-imports-kafkajs',
      severity: 'error',
      comment: 'kafkajs stays behind the messaging ports: only src/kafka/ imports it.',
      from: { path: '^src/', pathNot: '^src/kafka/' },
      to: { path: '(^|/)node_modules/kafkajs/' },
    },
    {
      name: 'only-state-imports-ioredis',
      severity: 'error',
      comment: 'ioredis stays behind the StateStore port: only src/state/ imports it.',
      from: { path: '^src/', pathNot: '^src/state/' },
      to: { path: '(^|/)node_modules/ioredis/' },
    },
    {
      name: 'only-console-imports-pg',
      severity: 'error',
      comment: 'PostgreSQL (pg) stays behind the console store: only src/console/ imports it.',
      from: { path: '^src/', pathNot: '^src/console/' },
      to: { path: '(^|/)node_modules/pg/' },
    },
    {
      name: 'kafka-not-to-state',
      severity: 'error',
      comment: 'Adapters never import each other: src/kafka/ knows nothing of src/state/.',
      from: { path: '^src/kafka/' },
      to: { path: '^src/state/' },
    },
    {
      name: 'state-not-to-kafka',
      severity: 'error',
      comment: 'Adapters never import each other: src/state/ knows nothing of src/kafka/.',
      from: { path: '^src/state/' },
      to: { path: '^src/kafka/' },
    },
    {
      name: 'pure-stages-not-to-adapters',
      severity: 'error',
      comment:
        'The pure stages (boundary, enrich, features, graph, rules) never import an adapter folder (kafka, state, replication, cli, replay) nor the composition root.',
      from: { path: PURE_STAGES },
      to: { path: [ADAPTERS, '^src/main\\.ts$'] },
    },
    {
      name: 'pipeline-not-to-adapters',
      severity: 'error',
      comment: 'src/pipeline/ owns the ports; the adapters implement them, never the other way round.',
      from: { path: '^src/pipeline/' },
      to: { path: [ADAPTERS, '^src/main\\.ts$'] },
    },
    {
      name: 'platform-imports-only-domain',
      severity: 'error',
      comment: 'src/platform/ (config, logger, errors, metrics, …) sits under every stage: it imports only src/domain/.',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: ['^src/platform/', '^src/domain/'] },
    },
  ],
  options: {
    // Only the application's own code is checked; node_modules is recorded (for the client rules) but not entered.
    includeOnly: ['^src/', 'node_modules/(kafkajs|ioredis)/'],
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
