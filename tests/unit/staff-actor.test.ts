import { Session } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { actorLabel } from "~/components/labels";
import { staffActorOf } from "~/shopify/auth/staff-actor";

const online = (firstName: string, lastName: string) =>
  new Session({
    id: "shop.myshopify.com_42",
    shop: "shop.myshopify.com",
    state: "",
    isOnline: true,
    onlineAccessInfo: {
      expires_in: 86_400,
      associated_user_scope: "read_customers",
      associated_user: {
        id: 42,
        first_name: firstName,
        last_name: lastName,
        email: "riley@example.com",
        email_verified: true,
        account_owner: false,
        locale: "fr",
        collaborator: false,
      },
    },
  });

describe("who a staff action is recorded under", () => {
  it("takes the staff member's id and name from the online session Shopify gave", () => {
    expect(staffActorOf(online("Riley", " Staff "), { sub: "42" })).toEqual({
      actor: "staff:42",
      actorName: "Riley Staff",
    });
  });

  it("keeps the id and no name when Shopify named no one, and labels that clearly", () => {
    const actor = staffActorOf(online("", ""), { sub: "42" });
    expect(actor).toEqual({ actor: "staff:42", actorName: null });
    expect(actorLabel(actor.actor, actor.actorName)).toBe("Staff member (name not given by Shopify)");
    const offline = new Session({ id: "offline_shop", shop: "shop.myshopify.com", state: "", isOnline: false });
    expect(staffActorOf(offline, { sub: "90000000011" })).toEqual({ actor: "staff:90000000011", actorName: null });
  });

  it("never shows a raw id or gid as who acted", () => {
    for (const [actor, name] of [
      ["staff:90000000011", null],
      ["gid://shopify/Customer/7", null],
      ["gid://shopify/Customer/7", "Pat Lee"],
    ] as const) {
      expect(actorLabel(actor, name)).not.toMatch(/\d{3,}|gid:/);
    }
    expect(actorLabel("gid://shopify/Customer/7", "Pat Lee")).toBe("Pat Lee (customer)");
  });
});
