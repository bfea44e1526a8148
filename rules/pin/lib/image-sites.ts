import { dockerfileImageSites } from './dockerfile-images';
import {
  contentSpan,
  embeddedJson,
  evaluate,
  type ExprNode,
  get,
  isExpr,
  isList,
  isScalar,
  type Node,
  type RelatedLocation,
  type Resource,
  type RuleContext,
  type Span,
  str,
  walk,
  helmRole,
  interpolatedDefault,
  isTerraform,
  items,
} from '../../../core';
import { throughValues } from '../../lib/helm';
import { helmReleaseImageSites } from './helm-release-images';
import { helmValuesImageSites } from './helm-values-images';
import { workflowImageSites } from './workflow-sites';
import { IMAGE_POINTER, kustomizeImageSites } from './kustomize-images';

/**
 * Every container image reference of a file, whatever wrote it: Kubernetes containers (init and ephemeral
 * ones too), Terraform container resources (`kubernetes_*`, ECS and Batch definitions as `jsonencode(...)`,
 * heredoc or quoted JSON, SageMaker, Cloud Run, Container Apps, Lambda images, the serving container of a Vertex AI
 * Model Garden deployment, the image tags a `helm_release` sets), CloudFormation ECS,
 * SageMaker, Batch, App Runner and Lambda, Dockerfile `FROM` and `COPY --from`, GitHub Actions job containers,
 * services and `docker://` steps. Terraform `var.x` / `local.x` and Dockerfile `${ARG}` are read through their
 * values, Helm template actions through the chart's `values.yaml`; a values file's own images are
 * `helm-values-images.ts`'s.
 */

/** Terraform resource types whose image attributes are container images (not VM images). */
const TF_CONTAINER_TYPES =
  /^(kubernetes_|aws_ecs_task_definition$|aws_sagemaker_model$|aws_batch_job_definition$|aws_lambda_function$|aws_apprunner_service$|google_cloud_run_|google_cloudfunctions2?_function$|azurerm_container_group$|azurerm_container_app$|azurerm_linux_web_app$|docker_container$|docker_image$|google_vertex_ai_endpoint_with_model_garden_deployment$)/;

/** CloudFormation resource types whose `Image` properties are container images. */
const CFN_CONTAINER_TYPES = new Set([
  'AWS::ECS::TaskDefinition',
  'AWS::SageMaker::Model',
  'AWS::Batch::JobDefinition',
  'AWS::AppRunner::Service',
  'AWS::Lambda::Function',
]);

const IMAGE_KEYS = new Set(['image', 'Image', 'ImageUri', 'ImageIdentifier', 'image_uri', 'image_identifier']);
/** `docker_image { name = "nginx:latest" }`: the image is its name. */
const TF_NAME_IS_IMAGE = new Set(['docker_image']);

export interface ImageSite {
  /** The reference as the container runtime sees it. */
  value: string;
  /** Where to report: the literal, or the Terraform reference that yields it. */
  span: Span;
  /** The reference is written in place, exactly as `span` covers it (fixes may rewrite it). */
  literal?: boolean;
  /** `var.image` (its default or tfvars value) when the image comes through a reference. */
  via?: string;
  related?: RelatedLocation[];
  /** A template whose literal tail decides without resolving (`"${var.registry}/app:latest"`). */
  template?: ExprNode;
  /** Where the reference is written when `span` only refers to it (a Dockerfile `ARG` default): fixes rewrite it there. */
  writtenAt?: Span;
  /** The edit that pins the image when it is not a rewrite of `span` (a kustomization's `newTag` becomes a `digest`). */
  pin?: { span: Span; newText: string };
}

/** API groups Kubernetes serves without a domain name; every other group (CRDs included) is a DNS subdomain. */
const UNQUALIFIED_GROUPS = new Set(['apps', 'batch', 'autoscaling', 'policy', 'extensions']);

/**
 * Whether a Kubernetes-shaped document is an object of the Kubernetes API. Tools borrow `apiVersion`/`kind`
 * for their own configuration (`skaffold/v4beta11` `Config`, whose `artifacts[].image` names images to
 * build, not images to run): their groups are neither unqualified core groups nor domain names.
 */
export function isKubernetesApiObject(r: Resource): boolean {
  const apiVersion = str(get(r.body, 'apiVersion')) ?? '';
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return true;
  const group = apiVersion.slice(0, slash);
  return group.includes('.') || UNQUALIFIED_GROUPS.has(group);
}

export function imageSites(ctx: RuleContext): ImageSite[] {
  const { file } = ctx;
  if (file.format === 'dockerfile') return dockerfileImageSites(file);
  if (file.format === 'github-actions') return workflowImageSites(file);
  const out: ImageSite[] = [];
  if (file.format === 'helm' && helmRole(file) === 'values') return helmValuesImageSites(file);
  if (file.format === 'compose') {
    for (const r of file.resources) {
      const image = get(r.body, 'image');
      if (image && !buildsOnly(r)) composeSite(ctx, image, out);
    }
    return out;
  }
  if (file.format === 'kustomize') {
    // Images an inline patch writes: a strategic-merge patch's containers, a JSON 6902 operation's value.
    for (const r of file.resources) {
      if (r.kind !== 'patch') continue;
      const value = r.type === 'json6902' ? get(r.body, 'value') : r.body;
      if (r.type === 'json6902' && IMAGE_POINTER.test(str(get(r.body, 'path')) ?? '')) {
        if (value) site(ctx, value, out);
        continue;
      }
      if (value) for (const v of walk(value)) if (v.entry && IMAGE_KEYS.has(v.entry.key)) site(ctx, v.node, out);
    }
    out.push(...kustomizeImageSites(ctx));
    // `helmCharts[].valuesInline`: the chart's values, written in the kustomization
    // (https://kubectl.docs.kubernetes.io/references/kustomize/builtins/#_helmchartinflationgenerator_).
    for (const root of file.roots)
      for (const chart of items(get(root, 'helmCharts'))) out.push(...helmValuesImageSites(file, get(chart, 'valuesInline'), str(get(chart, 'name'))));
    return out;
  }
  for (const r of file.resources) {
    if ((file.format === 'kubernetes' || file.format === 'helm') && !isKubernetesApiObject(r)) continue;
    const tf = isTerraform(file.format) && r.kind === 'resource' && TF_CONTAINER_TYPES.test(r.type);
    const relevant =
      file.format === 'kubernetes' ||
      (file.format === 'helm' && r.kind === 'object') ||
      tf ||
      (file.format === 'cloudformation' && r.kind === 'resource' && CFN_CONTAINER_TYPES.has(r.type));
    if (isTerraform(file.format) && r.kind === 'resource' && r.type === 'helm_release') out.push(...helmReleaseImageSites(ctx, r));
    if (!relevant) continue;
    if (tf && TF_NAME_IS_IMAGE.has(r.type)) {
      const name = get(r.body, 'name');
      if (name) site(ctx, name, out);
    }
    for (const v of walk(r.body)) {
      if (v.entry && IMAGE_KEYS.has(v.entry.key)) {
        site(ctx, v.node, out);
        continue;
      }
      // Container definitions written as a JSON string (heredoc, quoted, or a template with interpolations).
      if (tf && v.entry && (isScalar(v.node) || (isExpr(v.node) && !v.node.fn))) {
        const json = embeddedJson(file, v.node);
        if (!json) continue;
        for (const inner of walk(json)) if (inner.entry && IMAGE_KEYS.has(inner.entry.key)) site(ctx, inner.node, out);
      }
    }
  }
  return out;
}

function site(ctx: RuleContext, node: Node, out: ImageSite[]): void {
  if (isScalar(node)) {
    if (typeof node.value !== 'string') return;
    const span = contentSpan(node);
    // A value decoded from escapes (JSON inside a quoted string) keeps the whole string's span: report, never rewrite.
    out.push({ value: node.value, span, literal: ctx.file.text.slice(span.start, span.end) === node.value });
    return;
  }
  if (!isExpr(node)) return;
  if (node.fn === 'helm' && helmSite(ctx, node, out)) return;
  const quoted = /^"[\s\S]*"$/.test(node.text);
  const inner = quoted ? { ...node.span, start: node.span.start + 1, end: node.span.end - 1 } : node.span;
  const ref = /^"\$\{\s*((?:var|local)\.[A-Za-z_][\w-]*)\s*\}"$|^((?:var|local)\.[A-Za-z_][\w-]*)$/.exec(node.text.trim());
  if (isTerraform(ctx.file.format) && ref) {
    // `var.image`, or `"${var.image}"` as a template of JSON container definitions writes it.
    const name = ref[1] ?? ref[2];
    const e = evaluate(node, ctx);
    for (const v of e.values) {
      if (!isScalar(v) || typeof v.value !== 'string') continue;
      out.push({ value: v.value, span: inner, via: name, related: definition(ctx, name, v) });
    }
    return;
  }
  if (ctx.file.format === 'cloudformation' && resolvedSite(ctx, node, inner, out)) return;
  if (node.literalParts?.length || /^[\w-]+(\.[\w-]+)+$/.test(node.text.trim())) out.push({ value: '', span: inner, template: node });
}

/**
 * A CloudFormation image written through intrinsics that resolve in the template (`!Ref ImageParameter` to its
 * `Default`, `!FindInMap`, `!If` branches, a `!Sub` over parameters): judged by each value it can take. False when
 * anything stays unresolved (a pseudo parameter, a resource attribute): the template's literal tail decides then.
 */
function resolvedSite(ctx: RuleContext, node: ExprNode, span: Span, out: ImageSite[]): boolean {
  const e = evaluate(node, ctx);
  const values = e.values.filter((v): v is Node & { value: string } => isScalar(v) && typeof v.value === 'string');
  if (e.unresolved.length || values.length === 0 || values.length !== e.values.length) return false;
  const via = node.text.trim().replace(/\s+/g, ' ');
  for (const v of values) {
    const elsewhere = v.span.end <= node.span.start || v.span.start >= node.span.end;
    if (!elsewhere) {
      out.push({ value: v.value, span, via });
      continue;
    }
    // A parameter's `Default` written as it is used: a fix pins it there.
    const at = contentSpan(v);
    const writtenAt = ctx.file.text.slice(at.start, at.end) === v.value ? at : undefined;
    out.push({ value: v.value, span, via, writtenAt, related: [{ span: at, message: `${via} is set here` }] });
  }
  return true;
}

/** The text a template's literal tail is compared with: a `Fn::Sub` template string, or the expression's own source. */
export function templateSource(node: ExprNode): string {
  const first = node.fn === 'Fn::Sub' ? node.args?.[0] : undefined;
  const template = first && isList(first) ? first.items[0] : first;
  if (template && isScalar(template) && typeof template.value === 'string') return template.value;
  return node.text.trim().replace(/["']$/, '');
}

/**
 * A template value read through the chart's values: the image it renders, reported at the template with the
 * values lines as related locations. False when it does not resolve (judged by its literal text, if any).
 */
function helmSite(ctx: RuleContext, node: ExprNode, out: ImageSite[]): boolean {
  const e = evaluate(node, ctx);
  if (e.unresolved.length || e.values.length === 0) return false;
  const quoted = /^["'][\s\S]*["']$/.test(node.text);
  const span = quoted ? { ...node.span, start: node.span.start + 1, end: node.span.end - 1 } : node.span;
  for (const v of e.values) {
    if (isScalar(v) && typeof v.value === 'string') out.push({ value: v.value, span, via: 'values.yaml', related: throughValues(ctx.file, v) });
  }
  return true;
}

/**
 * A Compose service that never pulls its `image`: with `build` and `pull_policy: build`, Compose builds it and tags
 * the result with that name. Without the policy it pulls the name first and builds only when the pull fails
 * (https://docs.docker.com/reference/compose-file/build/#using-build-and-image), so the name is judged.
 */
function buildsOnly(service: Resource): boolean {
  return get(service.body, 'build') !== undefined && str(get(service.body, 'pull_policy'))?.trim() === 'build';
}

/**
 * A Compose `image`: a literal, or an interpolation. `${TAG:-1.2}` resolves through its defaults when every
 * variable has one; otherwise only a literal `:latest` tail decides (`${REGISTRY}/app:latest`).
 */
function composeSite(ctx: RuleContext, node: Node, out: ImageSite[]): void {
  if (!isExpr(node)) {
    site(ctx, node, out);
    return;
  }
  const parts = node.literalParts ?? [];
  const holes = node.args ?? [];
  const value = interpolatedDefault(node);
  if (value === undefined) {
    const known = holes.some(isScalar) ? nameAfterOpenRegistry(parts, holes) : undefined;
    if (known) out.push({ value: known.name, span: contentSpan(node), via: `the registry ${known.registry} and the defaults written in it` });
    else if (parts.length) site(ctx, node, out);
    return;
  }
  const vars = (node.refs ?? []).map((r) => `\${${r}}`).join(', ');
  out.push({ value, span: contentSpan(node), via: `the default${holes.length > 1 ? 's' : ''} of ${vars}` });
}

/**
 * `${REGISTRY}/app:${TAG:-latest}`: when the references without a default only name the registry (a `/` follows
 * the last of them), the rest — repository and tag, defaults filled in — is known (`app:latest`); else undefined.
 */
function nameAfterOpenRegistry(parts: string[], holes: Node[]): { registry: string; name: string } | undefined {
  let value = parts[0] ?? '';
  let openEnd = -1;
  holes.forEach((h, i) => {
    if (isScalar(h)) value += str(h) ?? '';
    else {
      value += isExpr(h) ? h.text : '';
      openEnd = value.length;
    }
    value += parts[i + 1] ?? '';
  });
  const slash = openEnd < 0 ? -1 : value.indexOf('/', openEnd);
  return slash < 0 ? undefined : { registry: value.slice(0, slash), name: value.slice(slash + 1) };
}

/** Where a variable's value is written (its default, or a tfvars assignment), when it is in another place. */
function definition(ctx: RuleContext, ref: string, value: Node): RelatedLocation[] {
  const name = ref.slice(ref.indexOf('.') + 1);
  for (const f of ctx.project.module(ctx.file, (text) => text.includes(name))) {
    const inFile = f.text.slice(value.span.start, value.span.end);
    if (!inFile.includes(String((value as { value?: unknown }).value ?? '\0'))) continue;
    const declares = f.resources.some((r) => (r.kind === 'variable' || r.kind === 'locals') && (r.name === name || get(r.body, name) !== undefined));
    if (declares || /\.tfvars(\.json)?$/.test(f.uri)) {
      return [{ span: contentSpan(value), message: `${ref} is set here`, uri: f.uri === ctx.file.uri ? undefined : f.uri }];
    }
  }
  return [];
}
