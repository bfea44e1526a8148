/** The engine's public API: what rules, the CLI and the language server import. */
export * from './model';
export { cellComments, cellPython, cellShellLines, spanInCell } from './cells';
export * from './rule';
export { sharedResult } from './shared-results';
export * from './nodes';
export * from './text';
export * from './mask';
export * from './config';
export * from './runner';
export * from './fix';
export * from './suppress';
export * from './tokens';
export { Project } from './project';
export {
  FORMATS,
  detectFormat,
  editorDocuments,
  extensionOf,
  formatDefinition,
  formatFamily,
  formatHasProjects,
  isTerraform,
  hasTerraformExpressions,
  isJsonText,
  mayBelongToProject,
  parseFile,
  parseFileSync,
  partFile,
  prepareFormat,
  projectKeyOf,
  pythonSnippet,
  serverlessSettings,
  type FormatDefinition,
} from './formats';
export { lastAnswer, mayReport, prefilterText, ruleMayReport, type Prefilter } from './prefilter';
export {
  eachObject,
  evaluate,
  evaluateItems,
  evaluateStrings,
  forEachEntries,
  neverCreated,
  withBinding,
  type EvalContext,
  type Evaluation,
  type ForEachEntry,
  type Scope,
} from './evaluate';
export { structuredTextRoots } from './structured-text';
export { basenameOf, dirnameOf, joinUri, resolveLocal } from './uri';
export { containers, podSpecs, type ContainerGroup, type ContainerRef, type PodSpecRef } from './formats/kubernetes/resources';
export { helmRole } from './formats/helm';
export { helmValuesOrigins, type ValuesOrigin } from './formats/helm/values';
export { parseJsonDocument } from './parsers/json';
export { parseYamlDocuments } from './parsers/yaml';
export { collapse, embeddedJson, embeddedYaml, jsonFromString } from './embedded';
export { composeBuild, type ComposeBuild } from './formats/compose/builds';
export { interpolatedDefault } from './formats/compose/interpolation';
export { verbatimScriptSpan } from './formats/script-span';
export { isPosixShell, runSteps, type RunStep } from './formats/github-actions/workflow';
export { partitionPoint } from './sorted';
export { jsonPatchOperations, layerFile, layerResources, namedPaths, type LayerResource, type TargetedOperation } from './formats/kustomize/layers';
