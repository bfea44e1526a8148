import type { Format } from './formats';
/**
 * The document model every format produces and every rule reads.
 *
 * Positions are character offsets into a text. For Terraform, CloudFormation, Kubernetes and plain text
 * that text is the file. Notebook spans carry `cell` (and `output`): their offsets are into that cell's
 * source (or that output's text), so the same finding can be shown on an LSP notebook cell or mapped
 * back into the `.ipynb` JSON by `ParsedFile.toFileSpan`.
 */

/** A format's id; the formats are listed in `core/formats/index.ts`. */
export type { Format };

export interface Span {
  start: number;
  end: number;
  /** Notebook cell index (0-based) the offsets are relative to. */
  cell?: number;
  /** Output index inside `cell`; offsets are into that output's text. */
  output?: number;
}

export type Path = (string | number)[];

interface NodeBase {
  span: Span;
  /** Key path from the resource body (or document root) to this node. */
  path: Path;
}

/** A mapping: a YAML/JSON object, an HCL object or block body. Keys may repeat (HCL nested blocks). */
export interface MapNode extends NodeBase {
  kind: 'map';
  entries: Entry[];
}

export interface Entry {
  key: string;
  keySpan: Span;
  value: Node;
  /** HCL only: `block` for a nested block (`ingress { ... }`), `attribute` for `key = value`. */
  form?: 'attribute' | 'block';
  /** HCL nested block labels (`dynamic "ingress"` → ["ingress"]). */
  labels?: string[];
}

export interface ListNode extends NodeBase {
  kind: 'list';
  items: Node[];
}

/** A literal value written in the file. Strings are unquoted, heredocs without their markers. */
export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** Span of the string's content without quotes (equals `span` for unquoted scalars). */
  contentSpan?: Span;
}

/**
 * A value that is not a plain literal: a reference (`var.x`, `!Ref X`, `aws_s3_bucket.b.id`),
 * an interpolated string (`"${var.p}-x"`, `!Sub`), a function call (`jsonencode(...)`, `Fn::If`).
 */
export interface ExprNode extends NodeBase {
  kind: 'expr';
  /** Source text of the expression. */
  text: string;
  /** Function or intrinsic name: `Ref`, `Fn::Sub`, `Fn::If`, `jsonencode`, `format`, ... */
  fn?: string;
  /** Parsed arguments where they are structured (`jsonencode({...})`, `!If [c, a, b]`, `!Sub [s, {..}]`). */
  args?: Node[];
  /** Traversal references found inside: `var.name`, `local.x`, `aws_s3_bucket.b.id`, CFN logical ids. */
  refs?: string[];
  /**
   * For templates mixing text and interpolation (`"${var.p}-bucket"`, `!Sub "arn:${AWS::Region}"`):
   * the literal pieces, to let rules decide without resolving (e.g. a `:latest` suffix).
   */
  literalParts?: string[];
}

export type Node = MapNode | ListNode | ScalarNode | ExprNode;

export interface Resource {
  /**
   * What the block/object is. Terraform: `resource` | `data` | `module` | `provider` | `variable` |
   * `locals` | `output` | `terraform`. CloudFormation: `resource` | `parameter`. Kubernetes: `object`.
   * GitHub Actions: `job` (type `job` or `reusable-workflow`) | `action` (type: its `runs.using`).
   */
  kind: string;
  /** Terraform resource type, CloudFormation `Type`, Kubernetes `kind`. Empty where there is none. */
  type: string;
  /** Terraform block name label, CloudFormation logical id, Kubernetes `metadata.name`, a workflow's job id, an action's `name`. */
  name: string;
  /** The whole block / object. */
  span: Span;
  /** Where to point when the resource itself is the finding (its header line / logical id key). */
  nameSpan: Span;
  /**
   * The block body (Terraform), the `Properties` map (CloudFormation; an empty map when absent),
   * the document root (Kubernetes).
   */
  body: MapNode;
  /** CloudFormation: the resource's whole map (Type, Properties, Metadata, Condition...). */
  raw?: MapNode;
  /** YAML document index for multi-document files. */
  document?: number;
  /** Terraform plan: the resource instance's address (`module.data.aws_s3_bucket.raw["eu"]`). */
  address?: string;
}

export interface Comment {
  span: Span;
  /** Comment text without the leading `#`, `//` or `/*`. */
  text: string;
  /**
   * The construct the comment belongs to, where the syntax says (a `"//"` property of Terraform's JSON syntax
   * annotates its object): a suppression in it covers that span instead of its line and the next.
   */
  covers?: Span;
}

export interface ParseProblem {
  span: Span;
  message: string;
}

export interface NotebookOutput {
  index: number;
  /** `stream` | `execute_result` | `display_data` | `error`. */
  outputType: string;
  /** The MIME type the text came from (`text/plain`, `application/json`, ...); `stream`/`error` have none. */
  mime?: string;
  /** The output's text, as lines joined (tracebacks: one frame per line). */
  text: string;
  /**
   * Position of the output in the notebook cell's `outputs` array. `index` numbers the text items of
   * `Cell.outputs` (what `Span.output` refers to); one notebook output with several text MIME types
   * gives several items sharing `outputIndex`.
   */
  outputIndex?: number;
}

/** A call site in notebook Python code, pre-digested for rules that look at function calls. */
export interface PyCall {
  /** Dotted callee as written: `AutoModel.from_pretrained`, `pipeline`, `hf_hub_download`. */
  callee: string;
  span: Span;
  calleeSpan: Span;
  args: Node[];
  kwargs: Entry[];
  /** Span just before the closing parenthesis, where a keyword argument can be inserted. */
  insertAt: Span;
}

/** A simple assignment `target = value` in notebook Python code. */
export interface PyAssignment {
  /** Target as written: `name`, `openai.api_key`, `os.environ["KEY"]`. */
  target: string;
  targetSpan: Span;
  value: Node;
  span: Span;
  /** A parameter's default: the function (or lambda) inside which the name has this value. */
  scope?: Span;
}

/** `password == "..."`, `self.token != "..."`: a name compared with a string literal, which the code then accepts or refuses. */
export interface PyComparison {
  /** The name as written: `password`, `self.token`, `request.headers["X-Api-Key"]`. */
  target: string;
  targetSpan: Span;
  /** The string literal on the other side. */
  value: Node;
  span: Span;
}

export interface PyImport {
  /** Module as written: `os`, `transformers`. */
  module: string;
  /** Imported names of `from x import a, b` (`*` for a wildcard); empty for `import x`. */
  names: string[];
  span: Span;
  /** Local alias → what it names: `import numpy as np` → `{ np: 'numpy' }`; `from x import A as B` → `{ B: 'A' }`. */
  aliases?: Record<string, string>;
}

/** A `!cmd` or `%magic` line of a code cell. */
export interface ShellLine {
  text: string;
  span: Span;
}

/** The Python structure of a code cell (see `cellPython`). */
export interface CellPython {
  calls: PyCall[];
  /** Simple assignments, and parameter defaults (`def f(password="...")`), which bind a name the same way. */
  assignments: PyAssignment[];
  /** Names compared with `==` or `!=` to a string literal. */
  comparisons: PyComparison[];
  imports: PyImport[];
  shell: ShellLine[];
  /** Every string literal of the cell as a scalar node. */
  strings: ScalarNode[];
}

/**
 * A notebook cell. The structure and comments of a code cell are read on request, with `cellPython`,
 * `cellShellLines` and `cellComments`: most of the cost of reading a notebook is parsing cells few rules look at.
 */
export interface Cell {
  index: number;
  kind: 'code' | 'markdown' | 'raw';
  language: string;
  source: string;
  outputs: NotebookOutput[];
  /** Cell metadata tags (`airlock:ignore ...` suppressions live there too). */
  tags: string[];
  /** `.ipynb` only: the cell's JSON object, in file offsets. */
  span?: Span;
  /** `.ipynb` only: the cell's `outputs` array (brackets included), in file offsets. */
  outputsSpan?: Span;
}

export interface ParsedFile {
  uri: string;
  format: Format;
  text: string;
  resources: Resource[];
  /** Root nodes: one per YAML document, the JSON root, the Terraform file body. */
  roots: Node[];
  comments: Comment[];
  problems: ParseProblem[];
  cells?: Cell[];
  /**
   * Shell scripts the file holds (Dockerfile RUN, CMD and ENTRYPOINT instructions, workflow `run:` steps, the scripts
   * of containers and Compose services, Terraform provisioners): the text of each span is shell, offset for offset.
   */
  shellScripts?: Span[];
  /** Map a span (notebook cell/output spans included) to file offsets. Identity for non-notebooks. */
  toFileSpan(span: Span): Span;
}
