import { bool, contentSpan, get, isExpr, isMap, type MapNode, type Node, type RelatedLocation, type Resource, type RuleContext, str } from '../../../core';

/**
 * SAM `Api` and `HttpApi` events that nobody has to authenticate for. An event is served by the API its
 * `RestApiId` / `ApiId` names, or by the implicit API SAM makes from `Globals`; it is protected by the authorizer
 * its own `Auth.Authorizer` names, else by the API's `Auth.DefaultAuthorizer`, and a REST event also by a required
 * API key. `Authorizer: NONE` opens an event on a protected API.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
 * An API the template does not define (a parameter, an import), a private endpoint and a resource policy (which
 * may limit callers to a network or account) are not judged.
 */

const KINDS: Readonly<Record<string, { apiKey: string; apiType: string; globals: string }>> = {
  Api: { apiKey: 'RestApiId', apiType: 'AWS::Serverless::Api', globals: 'Api' },
  HttpApi: { apiKey: 'ApiId', apiType: 'AWS::Serverless::HttpApi', globals: 'HttpApi' },
};

const isNone = (v: string | undefined) => v?.trim().toUpperCase() === 'NONE';

/** Whether the API's own settings let an event that names no authorizer be called by anyone. */
function apiLeavesOpen(api: MapNode | undefined, rest: boolean): boolean {
  const auth = get(api, 'Auth');
  if (get(auth, 'ResourcePolicy') !== undefined) return false;
  const endpoint = get(api, 'EndpointConfiguration');
  if (/PRIVATE/i.test(str(endpoint) ?? str(get(endpoint, 'Type')) ?? '')) return false;
  const byDefault = get(auth, 'DefaultAuthorizer');
  if (byDefault !== undefined && !isNone(str(byDefault))) return false;
  return !(rest && bool(get(auth, 'ApiKeyRequired')) === true);
}

/** The properties of the API an event is served by: the named resource, or the implicit API's `Globals`; undefined when not in this template. */
function servingApi(
  ctx: RuleContext<never>,
  props: Node | undefined,
  kind: (typeof KINDS)[string],
): { api: MapNode | undefined; resource?: Resource } | undefined {
  const ref = get(props, kind.apiKey);
  if (ref === undefined) {
    const globals = ctx.file.roots.map((root) => get(get(root, 'Globals'), kind.globals)).find(isMap);
    return { api: globals };
  }
  const name = isExpr(ref) && ref.fn === 'Ref' ? str(ref.args?.[0]) : undefined;
  const resource = ctx.file.resources.find((r) => r.kind === 'resource' && r.name === name && r.type === kind.apiType);
  return resource && isMap(resource.body) ? { api: resource.body, resource } : undefined;
}

export function openApiEvents(ctx: RuleContext<never>, fn: Resource): void {
  const events = get(fn.body, 'Events');
  if (!isMap(events)) return;
  for (const event of events.entries) {
    const type = get(event.value, 'Type');
    const kind = KINDS[str(type) ?? ''];
    if (!kind || type === undefined) continue;
    const props = get(event.value, 'Properties');
    const auth = get(props, 'Auth');
    const authorizer = str(get(auth, 'Authorizer'));
    if (authorizer !== undefined && !isNone(authorizer)) continue;
    if (kind.apiKey === 'RestApiId' && bool(get(auth, 'ApiKeyRequired')) === true) continue;
    const serving = servingApi(ctx, props, kind);
    if (!serving) continue;
    // `Authorizer: NONE` opens the event whatever the API's default is.
    if (!isNone(authorizer) && !apiLeavesOpen(serving.api, kind.apiKey === 'RestApiId')) continue;
    const route = [str(get(props, 'Method'))?.toUpperCase(), str(get(props, 'Path'))].filter(Boolean).join(' ');
    const related: RelatedLocation[] = serving.resource
      ? [{ span: serving.resource.nameSpan, message: `the API that serves it (${serving.resource.name})` }]
      : [];
    const rest = kind.apiKey === 'RestApiId';
    const why = isNone(authorizer) ? 'sets Authorizer: NONE' : `names no authorizer and its API has no default authorizer${rest ? ' or required API key' : ''}`;
    ctx.report({
      span: contentSpan(type),
      message: `Function "${fn.name}" event "${event.key}"${route ? ` (${route})` : ''} ${why}: anyone on the internet can call the function through the API`,
      related,
    });
  }
}
