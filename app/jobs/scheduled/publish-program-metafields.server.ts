import { guestOrdersEarn } from "~/domain/program";
import { getProgram } from "~/services/program/get-program.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { setProgramMetafields } from "~/shopify/admin/program-metafields.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/** What this process last published per shop; after a restart each shop is published once again (idempotent). */
const published = new Map<string, string>();

/**
 * Publishes the program's app-data metafields, which the theme app extension's Liquid reads without a request:
 * the points names (`tally.points_name` / `tally.point_name`, decision 020) and whether a guest's order earns now
 * (`tally.guests_earn`, decision 074). It writes only when they differ from what this process last published, so a
 * rename or a change of "Guests earn points" reaches the launcher within one tick and an unchanged program costs no
 * Admin API call. Returns `{ published }`: whether it wrote. Throws ShopifyUserErrors when Shopify refuses the
 * metafields.
 */
export async function publishProgramMetafields({ shop, graphql }: { shop: string; graphql: AdminGraphql }) {
  const { settings } = await getProgram({ ctx: contextFor(shop, "tally-jobs") });
  const values = {
    pointsName: settings.pointsName,
    pointName: settings.pointName,
    guestsEarn: guestOrdersEarn(settings),
  };
  const key = JSON.stringify(values);
  if (published.get(shop) === key) return { published: false };
  await setProgramMetafields(graphql, values);
  published.set(shop, key);
  return { published: true };
}

export const publishProgramMetafieldsJob: EveryTickShopJob = {
  name: "publish the program's points names and guest earning",
  scope: "each shop",
  every: "tick",
  perform: publishProgramMetafields,
};
