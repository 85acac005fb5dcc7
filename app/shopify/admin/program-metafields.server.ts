import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

/**
 * The program's own points name, published as app-data metafields (`app.metafields.tally.points_name` and
 * `point_name` in the theme app extension's Liquid; shopify.dev, "App-data metafields"), so the launcher and the
 * points balance block name the points as the merchant does without a request from the storefront; and whether guest
 * orders earn (`guests_earn`), so the panel's join box tells a signed-out shopper what her orders earn (decision 074).
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

/**
 * Writes the program's plural and singular points names (the merchant's words, e.g. "Stars" / "Star") to the app
 * installation's `tally.points_name` and `tally.point_name` metafields, and `tally.guests_earn` (boolean: true when
 * a guest's order earns points now, the program on with "Guests earn points"). Throws ShopifyUserErrors when Shopify
 * refuses them.
 */
export async function setProgramMetafields(
  graphql: AdminGraphql,
  values: { pointsName: string; pointName: string; guestsEarn: boolean },
): Promise<void> {
  const installation = await adminRequest(graphql, APP_INSTALLATION);
  const ownerId = installation.currentAppInstallation.id;
  const data = await adminRequest(graphql, SET_PROGRAM_NAMES, {
    variables: {
      metafields: [
        { ownerId, namespace: "tally", key: "points_name", type: "single_line_text_field", value: values.pointsName },
        { ownerId, namespace: "tally", key: "point_name", type: "single_line_text_field", value: values.pointName },
        { ownerId, namespace: "tally", key: "guests_earn", type: "boolean", value: String(values.guestsEarn) },
      ],
    },
  });
  const errors = data.metafieldsSet?.userErrors ?? [];
  if (errors.length > 0) throw new ShopifyUserErrors("metafieldsSet", errors);
}
