/** The engine's public API: what rules, the CLI and the language server import. */
export * from './model';
export { cellComments, cellPython, cellShellLines } from './cells';
export * from './rule';
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
  formatHasProjects,
  isJsonText,
  mayBelongToProject,
  parseFile,
  parseFileSync,
  prepareFormat,
  projectKeyOf,
  type FormatDefinition,
} from './formats';
export { mayReport, ruleMayReport, type Prefilter } from './prefilter';
export { containers, podSpecs, type ContainerGroup, type ContainerRef, type PodSpecRef } from './formats/kubernetes/resources';
export { parseJsonDocument } from './parsers/json';
export { parseYamlDocuments } from './parsers/yaml';
export { collapse, embeddedJson, jsonFromString } from './embedded';
