import { defineRule } from '../../../core';
import { digestSnippet, unpinnedReason } from '../../lib/image';
import { imageSites, templateSource } from '../lib/image-sites';

export default defineRule({
  id: 'pin/image-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['kubernetes', 'helm', 'terraform', 'terraform-json', 'terraform-plan', 'cloudformation', 'dockerfile', 'github-actions', 'compose', 'kustomize'],
  // Every image (and every container a model server runs in) is under an image key: image, Image, ImageUri, docker_image.
  // GitHub Actions: a job's `container` or a service's `image`, or a `docker://` step. Helm values may also name one
  // by a `{repository, tag}` map under no image key.
  prefilter: {
    kubernetes: ['image'],
    helm: (text) => /image|repository/i.test(text),
    terraform: ['image'],
    cloudformation: ['Image'],
    dockerfile: (text) => /from/i.test(text),
    'github-actions': ['container', 'image', 'docker://'],
    compose: ['image'],
    kustomize: ['image', 'newTag', 'newName'],
  },
  fixes: { 'pin-digest': 'suggestion' },
  docs: {
    summary:
      'Container image on `:latest` or without a tag or digest, wherever an image is named: Kubernetes and Helm, Terraform and CloudFormation, Dockerfiles, GitHub Actions, Compose and kustomize.',
    reads:
      'Container image on `:latest` or without a tag or digest (Kubernetes containers, init and ephemeral containers, Helm templates — read through `values.yaml` — and values files (`image: {repository, tag: latest}`, `image: busybox`, an `images:` map of components, a `{repository, tag}` list item of deployments that each name their image), Terraform `kubernetes_*`, ECS and Batch definitions — `jsonencode` or JSON strings, with `${var.x}` read through the variable —, SageMaker, Cloud Run, a Vertex AI Model Garden serving container, the images a `helm_release` sets (`set` of an image `tag` or `repository`, `yamlencode` values), CloudFormation ECS, SageMaker, Batch, App Runner, Lambda — with `!Ref`, `!Sub` and `!FindInMap` read through parameter defaults and mappings —, Dockerfile `FROM`, `COPY --from` and the `from=` of a `RUN --mount`, with `${ARG}` read through its default, GitHub Actions job containers, services and `docker://` steps, Compose services — with `build:` too, which Compose pulls first unless `pull_policy: build` —, kustomize `images:` entries, inline patches, JSON 6902 patch files and `helmCharts` `valuesInline`).',
    why: 'An unpinned image changes under you: a rebuild, a compromised registry account or a typo-squatted push silently replaces what runs — the same manifest deploys different code on different days, and rollbacks cannot restore the old behaviour.',
    fix: 'Pin the image by digest (`repo@sha256:...`, resolved with `docker buildx imagetools inspect` or `crane digest`), or at least by an immutable version tag. For a Terraform variable, pin its default or the value in `terraform.tfvars`; for a Helm chart, the tag in `values.yaml`; for a Compose `${VAR:-default}`, the default; for a kustomization, set `digest` (or a version `newTag`) in its `images:` entry — the finding names the base container it changes.',
    fixes: {
      'pin-digest':
        "Rewrites the reference to `repo@sha256:` with a placeholder for the digest (a kustomization's `newTag: latest` becomes `digest: sha256:`). Airlock never guesses a digest.",
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
        if (/:latest$/i.test(last) && templateSource(s.template).endsWith(last)) {
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
        fixes:
          s.pin || s.literal || s.writtenAt
            ? [
                {
                  title: 'Pin the image by digest',
                  kind: 'pin-digest',
                  safety: 'suggestion',
                  snippet: true,
                  edits: [s.pin ?? { span: s.writtenAt ?? s.span, newText: digestSnippet(s.value) }],
                },
              ]
            : [],
      });
    }
  },
});
