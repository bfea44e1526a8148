import { defineRule } from '../../../core';
import { looksLikeImage, parseImage } from '../../lib/image';
import { imageSites } from '../lib/image-sites';

export default defineRule({
  id: 'pin/image-not-digest',
  family: 'pin',
  severity: 'info',
  formats: ['kubernetes', 'terraform', 'terraform-json', 'terraform-plan', 'cloudformation', 'dockerfile', 'github-actions'],
  // Every image (and every container a model server runs in) is under an image key: image, Image, ImageUri, docker_image.
  prefilter: {
    kubernetes: ['image'],
    terraform: ['image'],
    cloudformation: ['Image'],
    dockerfile: (text) => /from/i.test(text),
    'github-actions': ['container', 'image', 'docker://'],
  },
  defaultOff: true,
  fixes: { 'add-digest': 'suggestion' },
  docs: {
    summary: 'Container image referenced by tag (even a version tag) rather than by an immutable `@sha256:` digest.',
    why: 'Tags are mutable pointers: `nginx:1.27.0` can be re-pushed by the publisher, by anyone holding their registry credentials, or by a registry mirror. Only a digest names exactly one image. Stricter than `pin/image-unpinned` (which accepts version tags), so this rule is off by default.',
    fix: 'Replace the tag with the digest the tag points to today (`docker buildx imagetools inspect nginx:1.27.0` or `crane digest nginx:1.27.0`); keeping the tag in front is allowed (`nginx:1.27.0@sha256:...`).',
    fixes: {
      'add-digest': 'Appends `@sha256:` with a placeholder for the digest, keeping the tag. Airlock never guesses a digest.',
    },
    examples: {
      format: 'kubernetes',
      bad: 'containers:\n  - name: web\n    image: nginx:1.27.0',
      good: 'containers:\n  - name: web\n    image: nginx:1.27.0@sha256:<digest>',
    },
  },
  check(ctx) {
    for (const s of imageSites(ctx)) {
      if (s.template || !looksLikeImage(s.value.trim())) continue;
      const img = parseImage(s.value.trim());
      if (img.digest?.startsWith('sha256:')) continue;
      const what = s.via ? `Image "${s.value.trim()}" (from ${s.via})` : `Image "${s.value.trim()}"`;
      ctx.report({
        span: s.span,
        message: `${what} is referenced by ${img.tag ? `tag "${img.tag}"` : 'name only'}, not by digest: the tag can be re-pushed`,
        related: s.related,
        // Keep the tag for readers; the digest after it is what the runtime pulls.
        fixes:
          s.literal && !img.digest
            ? [
                {
                  title: 'Pin the image by digest',
                  kind: 'add-digest',
                  safety: 'suggestion',
                  snippet: true,
                  edits: [{ span: { ...s.span, start: s.span.end }, newText: '@sha256:${1:digest}' }],
                },
              ]
            : [],
      });
    }
  },
});
