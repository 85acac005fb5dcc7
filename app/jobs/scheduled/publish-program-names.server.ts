import { getProgram } from "~/services/program/get-program.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { setProgramNameMetafields } from "~/shopify/admin/program-metafields.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/** What this process last published per shop; after a restart each shop is published once again (idempotent). */
const published = new Map<string, string>();

/**
 * Publishes the program's points names to the storefront (app-data metafields the theme app extension's Liquid
 * reads, decision 020) when they differ from what this process last published, so a rename reaches the launcher
 * within one tick and an unchanged program costs no Admin API call. Returns `{ published }`: whether it wrote.
 * Throws ShopifyUserErrors when Shopify refuses the metafields.
 */
export async function publishProgramNames({ shop, graphql }: { shop: string; graphql: AdminGraphql }) {
  const { settings } = await getProgram({ ctx: contextFor(shop, "tally-jobs") });
  const names = { pointsName: settings.pointsName, pointName: settings.pointName };
  const key = JSON.stringify(names);
  if (published.get(shop) === key) return { published: false };
  await setProgramNameMetafields(graphql, names);
  published.set(shop, key);
  return { published: true };
}

export const publishProgramNamesJob: EveryTickShopJob = {
  name: "publish the program's points names",
  scope: "each shop",
  every: "tick",
  perform: publishProgramNames,
};
