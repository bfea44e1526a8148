import { get, isExpr, isMap, type MapNode, type Node, type Resource, str } from '../../core';

/**
 * `azapi_resource`: an Azure resource written as its ARM type and body, `type = "<ARM type>@<API version>"` and
 * `body` an HCL object (azapi 2.x) or `jsonencode({...})` (azapi 1.x), whose `properties` hold the settings the
 * ARM template reference names; `azapi_update_resource` writes the same body onto an existing resource.
 * https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource
 * https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/update_resource
 */
export const AZAPI_RESOURCES = ['azapi_resource', 'azapi_update_resource'];

/** The ARM resource type of an azapi resource, lower-cased and without its API version. */
export function azapiType(resource: Resource): string | undefined {
  return AZAPI_RESOURCES.includes(resource.type) ? str(get(resource.body, 'type'))?.split('@')[0].toLowerCase() : undefined;
}

/** The written `body` of an azapi resource, through `jsonencode(...)`. */
function azapiBody(resource: Resource): Node | undefined {
  const body = get(resource.body, 'body');
  return isExpr(body) && body.fn === 'jsonencode' ? body.args?.[0] : body;
}

/** The `body.properties` map of an azapi resource, when written as a map. */
export function azapiPropertiesOf(resource: Resource): MapNode | undefined {
  const properties = get(azapiBody(resource), 'properties');
  return isMap(properties) ? properties : undefined;
}

/** The `body.properties` map of each azapi resource of the file whose ARM type is `armType` (lower-case). */
export function azapiProperties(resources: readonly Resource[], armType: string): { resource: Resource; properties: MapNode }[] {
  const out: { resource: Resource; properties: MapNode }[] = [];
  for (const r of resources) {
    if (r.kind !== 'resource' || azapiType(r) !== armType) continue;
    const properties = azapiPropertiesOf(r);
    if (properties) out.push({ resource: r, properties });
  }
  return out;
}
