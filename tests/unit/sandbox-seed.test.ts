import { describe, expect, it } from "vitest";
import { ShopStore } from "../sandbox/store";

describe("the sandbox's seeded shop", () => {
  it.each([
    { customers: 40, orders: 2_000 },
    { customers: 1_500, orders: 2_000 },
    { customers: 5_000, orders: 300 },
  ])(
    "never has a customer's order placed before the customer joined ($customers customers, $orders orders)",
    (shape) => {
      const store = new ShopStore(7, "CAD");
      store.seed({ ...shape, seed: 3, until: "2026-06-01T00:00:00Z" });
      let owned = 0;
      const buyers = new Set<number>();
      for (let index = 0; index < shape.orders; index++) {
        const order = store.orders.find(index)!;
        if (order.customerIndex === null) continue;
        owned += 1;
        buyers.add(order.customerIndex);
        const customer = store.customers.find(order.customerIndex)!;
        expect(Date.parse(customer.createdAt), `order ${order.number}`).toBeLessThanOrEqual(
          Date.parse(order.processedAt),
        );
        // The customer's own figures count the order (Shopify's numberOfOrders and amountSpent).
        expect(store.orders.statsOf(order.customerIndex).count).toBeGreaterThan(0);
      }
      // Guests place about one order in twenty; the rest spread over many customers, some coming back.
      expect(owned / shape.orders).toBeGreaterThan(0.9);
      expect(buyers.size).toBeGreaterThan(Math.min(shape.customers, shape.orders) / 4);
      expect(buyers.size).toBeLessThan(owned);
    },
  );
});
