import type { ShopRecord } from "../shops";
import type { DiscountCodeRecord } from "../store/index";
import { iso, SandboxError } from "./base";

/** Discount codes as a merchant or an app creates them. */
export class DiscountOperations {
  create(
    shop: ShopRecord,
    input: Omit<DiscountCodeRecord, "id" | "codeId" | "usageCount" | "createdAt" | "updatedAt">,
  ) {
    if (shop.store.discountCodes.some((d) => d.code.toLowerCase() === input.code.toLowerCase()))
      throw new SandboxError(
        "Code must be unique. Please try a different code.",
        ["basicCodeDiscount", "code"],
        "TAKEN",
      );
    const now = iso();
    const record: DiscountCodeRecord = {
      ...input,
      id: shop.store.nextId("DiscountCodeNode"),
      codeId: shop.store.nextId("DiscountRedeemCode"),
      usageCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    shop.store.discountCodes.push(record);
    return record;
  }
}
