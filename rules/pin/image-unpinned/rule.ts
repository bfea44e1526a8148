import { defineRule, type RuleContext } from '../../../core/rule';
import type { Node } from '../../../core/model';
import { contentSpan, isExpr, isScalar, walk } from '../../../core/nodes';
import { digestSnippet, unpinnedReason } from '../../lib/image';

/** Terraform resource types whose `image` attributes are container images (not VM images). */
const TF_CONTAINER_TYPES = /^(kubernetes_|aws_ecs_task_definition$|aws_sagemaker_model$|aws_batch_job_definition$|google_cloud_run_|azurerm_container_group$|azurerm_container_app$|docker_container$)/;

/** CloudFormation resource types whose `Image` properties are container images. */
const CFN_CONTAINER_TYPES = new Set([
  'AWS::ECS::TaskDefinition',
  'AWS::SageMaker::Model',
  'AWS::Batch::JobDefinition',
  'AWS::AppRunner::Service',
  'AWS::Lambda::Function',
]);

const IMAGE_KEYS = new Set(['image', 'Image', 'ImageUri', 'ImageIdentifier']);

function checkImage(ctx: RuleContext, node: Node) {
  if (isScalar(node) && typeof node.value === 'string') {
    const reason = unpinnedReason(node.value);
    if (!reason) return;
    ctx.report({
      span: contentSpan(node),
      message: `Image "${node.value.trim()}" ${reason}; pin it by digest (@sha256:...) or at least a version tag`,
      fixes: [{ title: 'Pin the image by digest', safety: 'suggestion', snippet: true, edits: [{ span: contentSpan(node), newText: digestSnippet(node.value) }] }],
    });
  } else if (isExpr(node) && node.literalParts?.length) {
    // "${var.registry}/app:latest" — decidable without resolving the reference.
    const last = node.literalParts[node.literalParts.length - 1];
    if (/:latest$/i.test(last) && node.text.trimEnd().replace(/["']$/, '').endsWith(last)) {
      ctx.report({ span: node.span, message: 'Image uses the mutable latest tag; pin it by digest (@sha256:...) or a version tag' });
    }
  }
}

export default defineRule({
  id: 'pin/image-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['kubernetes', 'terraform', 'cloudformation'],
  docs: {
    summary: 'Container image on `:latest` or without a tag or digest.',
    why: 'An unpinned image changes under you: a rebuild, a compromised registry account or a typo-squatted push silently replaces what runs — the same manifest deploys different code on different days, and rollbacks cannot restore the old behaviour.',
    fix: 'Pin the image by digest (`repo@sha256:...`, resolved with `docker buildx imagetools inspect` or `crane digest`), or at least by an immutable version tag.',
    fixSafety: 'Suggestion: rewrites the reference to `repo@sha256:` with a placeholder for the digest. Airlock never guesses a digest.',
    examples: { format: 'kubernetes', bad: 'containers:\n  - name: web\n    image: nginx:latest', good: 'containers:\n  - name: web\n    image: nginx@sha256:<digest>' },
  },
  check(ctx) {
    const { file } = ctx;
    for (const r of file.resources) {
      const relevant =
        file.format === 'kubernetes' ||
        (file.format === 'terraform' && r.kind === 'resource' && TF_CONTAINER_TYPES.test(r.type)) ||
        (file.format === 'cloudformation' && r.kind === 'resource' && CFN_CONTAINER_TYPES.has(r.type));
      if (!relevant) continue;
      for (const v of walk(r.body)) {
        if (v.entry && IMAGE_KEYS.has(v.entry.key)) checkImage(ctx, v.node);
      }
    }
  },
});
