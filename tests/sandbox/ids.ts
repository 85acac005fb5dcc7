/**
 * Resource ids. Every shop owns a block of 10^10 ids per resource type, so a seeded record's id is a pure function of
 * (shop number, index) and a million seeded customers need no id table. Ids stay decimal strings: they are 18 digits.
 */
const RESOURCE_BASE = {
  Customer: 706_405_000_000_000_000n,
  Order: 450_789_000_000_000_000n,
  LineItem: 466_157_000_000_000_000n,
  MailingAddress: 207_119_000_000_000_000n,
  DiscountCodeNode: 108_828_000_000_000_000n,
  DiscountRedeemCode: 109_123_000_000_000_000n,
  DiscountAutomaticNode: 198_004_000_000_000_000n,
  StoreCreditAccount: 123_456_000_000_000_000n,
  StoreCreditAccountTransaction: 123_999_000_000_000_000n,
  Metafield: 105_555_000_000_000_000n,
  Refund: 509_562_000_000_000_000n,
  RefundLineItem: 487_817_000_000_000_000n,
  OrderTransaction: 245_135_000_000_000_000n,
  Fulfillment: 255_858_000_000_000_000n,
  Checkout: 901_414_000_000_000_000n,
  BulkOperation: 300_000_000_000_000_000n,
  Product: 632_910_000_000_000_000n,
  ProductVariant: 808_950_000_000_000_000n,
  StaffMember: 902_541_000_000_000_000n,
  OrderEdit: 789_123_000_000_000_000n,
  OrderAdjustment: 422_176_000_000_000_000n,
  Return: 945_120_000_000_000_000n,
  RefundShippingLine: 512_440_000_000_000_000n,
  Segment: 411_210_000_000_000_000n,
  SentEmail: 620_330_000_000_000_000n,
  StagedUpload: 731_880_000_000_000_000n,
} as const;

export type ResourceType = keyof typeof RESOURCE_BASE;

const BLOCK = 10_000_000_000n;

export function resourceId(type: ResourceType, shopNumber: number, index: number): string {
  return String(RESOURCE_BASE[type] + BigInt(shopNumber) * BLOCK + BigInt(index) + 1n);
}

export function resourceIndex(type: ResourceType, shopNumber: number, id: string): number | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const offset = BigInt(id) - RESOURCE_BASE[type] - BigInt(shopNumber) * BLOCK - 1n;
  return offset >= 0n && offset < BLOCK ? Number(offset) : undefined;
}

export const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

export function parseGid(value: string): { type: string; id: string } | undefined {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value);
  return match ? { type: match[1]!, id: match[2]! } : undefined;
}
