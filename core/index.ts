/** The engine's public API: what rules, the CLI and the language server import. */
export * from './model';
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
export { detectFormat, extensionOf } from './detect';
export { parseFile, parseFileSync, prepareFormat } from './parse';
export { mayReport, ruleMayReport, type Prefilter } from './prefilter';
