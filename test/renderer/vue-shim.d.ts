// Lets the Node-side typecheck (tsconfig.node.json includes test/**) import .vue files in component tests;
// the components themselves are type-checked by vue-tsc with tsconfig.web.json.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
