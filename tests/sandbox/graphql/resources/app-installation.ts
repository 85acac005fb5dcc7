import { parseGid } from "../../ids";
import type { ShopRecord } from "../../shops";
import { appInstallationGid } from "../../theme/online-store";
import type { AdminContext, NodeFinders } from "../context";
import { metafieldsOf } from "./metafields";

/**
 * The app's installation on the shop (`currentAppInstallation`): the owner of its app-data metafields, which theme
 * app extension blocks read as `app.metafields` (shopify.dev, "Ownership": app-data metafields).
 */
export function appInstallationView(shop: ShopRecord) {
  const id = appInstallationGid(shop.numericId);
  return { __typename: "AppInstallation", id, ...metafieldsOf(shop, id) };
}

export const appInstallationNodes: NodeFinders = {
  AppInstallation: (shop, id) =>
    parseGid(appInstallationGid(shop.numericId))?.id === id ? appInstallationView(shop) : null,
};

export const appInstallationQueries = (ctx: AdminContext) => ({
  currentAppInstallation: () => appInstallationView(ctx.shop),
});
