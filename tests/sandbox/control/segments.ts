import { type ControlDeps, shopOf } from "./deps";

/** Customer segments as a merchant saves them in Shopify admin. */
export function segmentControl({ shops, ops }: ControlDeps) {
  return {
    segments: ({ shop }: { shop: string }) =>
      shopOf(shops, shop).store.segments.map(({ expression: _parsed, ...segment }) => segment),
    /** A segment saved in the admin's customer segment editor: segments/create. */
    createSegment: ({ shop, name, query }: { shop: string; name: string; query: string }) => {
      const { expression: _parsed, ...segment } = ops.segments.create(shopOf(shops, shop), name, query);
      return segment;
    },
    /** A segment deleted in the admin (Customers > Segments > Delete segment): segments/delete. */
    deleteSegment: ({ shop, id }: { shop: string; id: string }) => {
      const { expression: _parsed, ...segment } = ops.segments.delete(shopOf(shops, shop), id);
      return segment;
    },
  };
}
