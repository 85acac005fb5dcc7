import { gid, parseGid } from "../../ids";
import type { ShopRecord } from "../../shops";
import type { MetafieldRecord } from "../../store/index";
import { connection, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import { dt } from "../values";

export function metafieldView(shop: ShopRecord, m: MetafieldRecord) {
  return {
    __typename: "Metafield",
    id: gid("Metafield", m.id),
    legacyResourceId: m.id,
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    jsonValue: () => {
      try {
        return JSON.parse(m.value) as unknown;
      } catch {
        return m.value;
      }
    },
    createdAt: dt(m.createdAt),
    updatedAt: dt(m.updatedAt),
    ownerType: parseGid(m.ownerGid)?.type.toUpperCase() ?? "CUSTOMER",
    owner: (_args: unknown, ctx: AdminContext) => ctx.views.node(shop, m.ownerGid),
    compareDigest: Buffer.from(`${m.id}:${m.updatedAt}`).toString("base64"),
    description: null,
    definition: null,
  };
}

/** The `metafield` and `metafields` fields every HasMetafields owner has. */
export function metafieldsOf(shop: ShopRecord, ownerGid: string) {
  return {
    metafield: (args: { namespace?: string; key: string }) => {
      const [ns, key] = args.namespace ? [args.namespace, args.key] : (args.key.split(".", 2) as [string, string]);
      const m = shop.store.metafields.find((x) => x.ownerGid === ownerGid && x.namespace === ns && x.key === key);
      return m ? metafieldView(shop, m) : null;
    },
    metafields: (args: ConnectionArgs & { namespace?: string; keys?: string[] }, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) =>
          fromList(
            shop.store.metafields.filter(
              (m) =>
                m.ownerGid === ownerGid &&
                (!args.namespace || m.namespace === args.namespace) &&
                (!args.keys || args.keys.includes(`${m.namespace}.${m.key}`)),
            ),
            from,
            rev,
          ),
        view: (m) => metafieldView(shop, m),
      }),
  };
}

export const metafieldNodes: NodeFinders = {
  Metafield: (shop, id) => {
    const m = shop.store.metafields.find((x) => x.id === id);
    return m ? metafieldView(shop, m) : null;
  },
};

export const metafieldMutations = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  return {
    metafieldsSet: ({
      metafields,
    }: {
      metafields: { ownerId: string; namespace?: string; key: string; type?: string; value: string }[];
    }) => {
      const errors = metafields.flatMap((m, i) =>
        ctx.views.node(shop, m.ownerId)
          ? []
          : [
              {
                field: ["metafields", String(i), "ownerId"],
                message: "Owner does not exist.",
                code: "INVALID_VALUE",
                elementIndex: i,
              },
            ],
      );
      if (errors.length) return { metafields: null, userErrors: errors };
      const set = ops.metafields.set(
        shop,
        metafields.map((m) => ({
          ownerGid: m.ownerId,
          namespace: m.namespace ?? "$app",
          key: m.key,
          type: m.type ?? "single_line_text_field",
          value: m.value,
        })),
      );
      return { metafields: set.map((m) => metafieldView(shop, m)), userErrors: [] };
    },
  };
};
