import { parseGid } from "../ids";
import type { ShopRecord } from "../shops";
import type { AdminContext, NodeFinders, Views } from "./context";
import { appInstallationNodes, appInstallationQueries } from "./resources/app-installation";
import { bulkOperationMutations, bulkOperationQueries } from "./resources/bulk-operations";
import { customerMutations, customerNodes, customerQueries, customerView } from "./resources/customers";
import { discountMutations, discountNodes, discountQueries } from "./resources/discounts";
import { metafieldMutations, metafieldNodes } from "./resources/metafields";
import { orderNodes, orderQueries } from "./resources/orders";
import { segmentMutations, segmentNodes, segmentQueries } from "./resources/segments";
import { shopNodes, shopQueries } from "./resources/shop";
import { storeCreditMutations, storeCreditNodes, storeCreditQueries } from "./resources/store-credit";
import { webPresenceQueries } from "./resources/web-presences";

/** `node(id:)` for every type a resource can find by id; any other type is null, as for an id that does not exist. */
const nodeFinders: NodeFinders = {
  ...shopNodes,
  ...customerNodes,
  ...orderNodes,
  ...discountNodes,
  ...storeCreditNodes,
  ...metafieldNodes,
  ...segmentNodes,
  ...appInstallationNodes,
};

function nodeView(shop: ShopRecord, id: string) {
  const parsed = parseGid(id);
  const find = parsed ? nodeFinders[parsed.type] : undefined;
  return parsed && find ? find(shop, parsed.id) : null;
}

export const views: Views = { customer: customerView, node: nodeView };

/** The Admin API's root fields the sandbox answers, one resource module each (graphql/resources/). */
export function rootResolvers(ctx: AdminContext) {
  const { shop } = ctx;
  return {
    node: ({ id }: { id: string }) => nodeView(shop, id),
    nodes: ({ ids }: { ids: string[] }) => ids.map((id) => nodeView(shop, id)),
    ...shopQueries(ctx),
    ...customerQueries(ctx),
    ...orderQueries(ctx),
    ...discountQueries(ctx),
    ...storeCreditQueries(ctx),
    ...segmentQueries(ctx),
    ...webPresenceQueries(ctx),
    ...bulkOperationQueries(ctx),
    ...appInstallationQueries(ctx),
    ...customerMutations(ctx),
    ...segmentMutations(ctx),
    ...discountMutations(ctx),
    ...storeCreditMutations(ctx),
    ...metafieldMutations(ctx),
    ...bulkOperationMutations(ctx),
  };
}
