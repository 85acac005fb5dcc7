import { z } from "zod";
import { DomainError } from "~/domain/shared";
import { parseOr400 } from "~/lib/parse.server";
import { getOrderPoints } from "~/services/storefront/get-order-points.server";
import { customerAccountLoader } from "~/shopify/auth/customer-account.server";
import { contextFor } from "~/shopify.server";

const paramsSchema = z.object({ orderId: z.string().regex(/^[1-9]\d{0,19}$/, "must be Shopify's numeric order id") });

/** GET /customer-account/v1/orders/{id}: "points earned for this order", for the Order status page. */
export const loader = customerAccountLoader(async ({ shop, customerGid, params }) => {
  const { orderId } = parseOr400(paramsSchema, params);
  const points = await getOrderPoints({
    ctx: contextFor(shop, "customer-account"),
    input: { customerGid, orderGid: `gid://shopify/Order/${orderId}` },
  });
  if (!points) throw new DomainError("not_found", "No such order for this customer");
  return Response.json(points, { headers: { "Cache-Control": "no-store" } });
});
