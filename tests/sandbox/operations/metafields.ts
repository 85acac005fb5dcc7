import type { ShopRecord } from "../shops";
import type { MetafieldRecord } from "../store/index";
import { iso } from "./base";

/** metafieldsSet: creates or overwrites each (owner, namespace, key). */
export class MetafieldOperations {
  set(shop: ShopRecord, inputs: { ownerGid: string; namespace: string; key: string; type: string; value: string }[]) {
    const now = iso();
    return inputs.map((input) => {
      const existing = shop.store.metafields.find(
        (m) => m.ownerGid === input.ownerGid && m.namespace === input.namespace && m.key === input.key,
      );
      if (existing) {
        existing.value = input.value;
        existing.type = input.type;
        existing.updatedAt = now;
        return existing;
      }
      const record: MetafieldRecord = { ...input, id: shop.store.nextId("Metafield"), createdAt: now, updatedAt: now };
      shop.store.metafields.push(record);
      return record;
    });
  }
}
