/** The products every sandbox shop sells; orders name them by index. */
export interface Product {
  title: string;
  sku: string;
  cents: number;
  giftCard?: boolean;
}

export const CATALOG: readonly Product[] = [
  { title: "Aviator sunglasses", sku: "SUN-001", cents: 8999 },
  { title: "Canvas tote", sku: "BAG-002", cents: 2400 },
  { title: "Merino beanie", sku: "HAT-003", cents: 3500 },
  { title: "Ceramic mug", sku: "MUG-004", cents: 1800 },
  { title: "Linen shirt", sku: "SHI-005", cents: 6800 },
  { title: "Trail socks (3 pack)", sku: "SOC-006", cents: 2200 },
  { title: "Leather wallet", sku: "WAL-007", cents: 5400 },
  { title: "Gift card", sku: "GFT-008", cents: 5000, giftCard: true },
];
