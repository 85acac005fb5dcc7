import { getProgram } from "~/services/program/get-program.server";
import type { ServiceContext } from "~/services/context";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./admin-graphql.server";

/**
 * The program's own points name, published as app-data metafields (`app.metafields.tally.points_name` and
 * `point_name` in the theme app extension's Liquid; shopify.dev, "App-data metafields"), so the launcher and the
 * points balance block name the points as the merchant does without a request from the storefront.
 */
const APP_INSTALLATION = `#graphql
  query TallyAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

const SET_PROGRAM_NAMES = `#graphql
  mutation TallyPublishProgramNames($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** What this process last published per shop; after a restart each shop is published once again (idempotent). */
const published = new Map<string, string>();

/**
 * Publishes the shop's points names when they differ from what this process last published. Runs with the shop's
 * background jobs (app/shopify/jobs.server.ts). Throws ShopifyUserErrors when Shopify refuses the metafields.
 */
export async function publishProgramNames({ ctx, graphql }: { ctx: ServiceContext; graphql: AdminGraphql }) {
  const { settings } = await getProgram({ ctx });
  const names = JSON.stringify([settings.pointsName, settings.pointName]);
  if (published.get(ctx.shop) === names) return { published: false };
  const installation = await adminRequest(graphql, APP_INSTALLATION);
  const ownerId = installation.currentAppInstallation.id;
  const data = await adminRequest(graphql, SET_PROGRAM_NAMES, {
    variables: {
      metafields: [
        { ownerId, namespace: "tally", key: "points_name", type: "single_line_text_field", value: settings.pointsName },
        { ownerId, namespace: "tally", key: "point_name", type: "single_line_text_field", value: settings.pointName },
      ],
    },
  });
  const errors = data.metafieldsSet?.userErrors ?? [];
  if (errors.length > 0) throw new ShopifyUserErrors("metafieldsSet", errors);
  published.set(ctx.shop, names);
  return { published: true };
}
