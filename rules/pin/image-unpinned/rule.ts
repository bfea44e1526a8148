import { defineRule } from '../../../core';
import { digestSnippet, unpinnedReason } from '../../lib/image';
import { imageSites } from '../lib/image-sites';

export default defineRule({
  id: 'pin/image-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['kubernetes', 'terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  // Every image (and every container a model server runs in) is under an image key: image, Image, ImageUri, docker_image.
  prefilter: { kubernetes: ['image'], terraform: ['image'], cloudformation: ['Image'] },
  fixes: { 'pin-digest': 'suggestion' },
  docs: {
    summary:
      'Container image on `:latest` or without a tag or digest (Kubernetes containers, init and ephemeral containers, Terraform `kubernetes_*`, ECS and Batch definitions — `jsonencode` or JSON strings —, SageMaker, Cloud Run, CloudFormation ECS, SageMaker, Batch, App Runner, Lambda).',
    why: 'An unpinned image changes under you: a rebuild, a compromised registry account or a typo-squatted push silently replaces what runs — the same manifest deploys different code on different days, and rollbacks cannot restore the old behaviour.',
    fix: 'Pin the image by digest (`repo@sha256:...`, resolved with `docker buildx imagetools inspect` or `crane digest`), or at least by an immutable version tag. For a Terraform variable, pin its default or the value in `terraform.tfvars`.',
    fixes: {
      'pin-digest': 'Rewrites the reference to `repo@sha256:` with a placeholder for the digest. Airlock never guesses a digest.',
    },
    examples: {
      format: 'kubernetes',
      bad: 'containers:\n  - name: web\n    image: nginx:latest',
      good: 'containers:\n  - name: web\n    image: nginx@sha256:<digest>',
    },
  },
  // The digest rule's finding on the same reference says less than this one.
  supersedes: ['pin/image-not-digest'],
  check(ctx) {
    for (const s of imageSites(ctx)) {
      if (s.template) {
        const text = s.template.text.trim();
        const parts = s.template.literalParts ?? [];
        const last = parts[parts.length - 1] ?? '';
        if (/:latest$/i.test(last) && text.replace(/["']$/, '').endsWith(last)) {
          // "${var.registry}/app:latest" — decidable without resolving the reference.
          ctx.report({ span: s.span, message: 'Image uses the mutable latest tag; pin it by digest (@sha256:...) or a version tag' });
        } else if (/^(?:"\$\{\s*)?[\w-]+(?:\.[\w-]+)*\.repository_url(?:\s*\}")?$/.test(text)) {
          // An ECR repository URL is the repository alone: no tag, so the runtime pulls `latest`.
          ctx.report({
            span: s.span,
            message: `Image ${text.replace(/^"\$\{\s*|\s*\}"$/g, '')} is a repository URL without a tag, so it means whatever was pushed last as latest; append a version tag or @sha256 digest`,
          });
        }
        continue;
      }
      const reason = unpinnedReason(s.value);
      if (!reason) continue;
      const what = s.via ? `Image "${s.value.trim()}" (from ${s.via})` : `Image "${s.value.trim()}"`;
      ctx.report({
        span: s.span,
        message: `${what} ${reason}; pin it by digest (@sha256:...) or at least a version tag`,
        related: s.related,
        fixes: s.literal
          ? [
              {
                title: 'Pin the image by digest',
                kind: 'pin-digest',
                safety: 'suggestion',
                snippet: true,
                edits: [{ span: s.span, newText: digestSnippet(s.value) }],
              },
            ]
          : [],
      });
    }
  },
});
