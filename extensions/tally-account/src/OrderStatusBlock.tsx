import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { pointsName, pointsText, tallyGet, type OrderPoints } from "./tally-api";

export default async () => {
  render(<OrderStatusBlock />, document.body);
};

/** "Your stars for this order" on the Order status page (customer-account.order-status.block.render). */
function OrderStatusBlock() {
  const { i18n, sessionToken, order } = shopify;
  const orderId = order.value?.id.split("/").pop();
  const [points, setPoints] = useState<OrderPoints | null>(null);
  useEffect(() => {
    if (!orderId) return;
    tallyGet<OrderPoints>(sessionToken, `/customer-account/v1/orders/${orderId}`).then(setPoints, () =>
      setPoints(null),
    );
  }, [sessionToken, orderId]);

  // Nothing to say for an order Tally cannot speak for (not the customer's, or Tally unreachable).
  if (!points) return null;
  const amount = pointsText(points.points, points, i18n);
  const name = pointsName(points, i18n);
  let text: string;
  switch (points.status) {
    case "earned":
      text = i18n.translate("earned", { points: amount });
      break;
    case "pending":
      text = points.releaseAt
        ? i18n.translate("pendingOn", { points: amount, date: i18n.formatDate(new Date(points.releaseAt)) })
        : i18n.translate("pendingAfter", { points: amount, days: i18n.formatNumber(points.holdDays ?? 0) });
      break;
    case "not_earned":
      text = i18n.translate("notEarned", { name });
      break;
    case "waiting":
      text = i18n.translate("waiting", { name });
      break;
  }
  return (
    <s-section heading={i18n.translate("orderTitle", { name })}>
      <s-paragraph>{text}</s-paragraph>
    </s-section>
  );
}
