import { describe, expect, it } from "vitest";
import { isViewNameTaken, viewNameKey } from "~/domain/customers";

describe("a saved view's name as tabs compare it", () => {
  it("refuses look-alikes of a built-in tab's name", () => {
    for (const typed of [
      "\uFF2Dembers", // Ｍ full-width, drawn "▯embers" where the admin's font lacks it
      "\uFF2D\uFF25\uFF2D\uFF22\uFF25\uFF32\uFF33", // ＭＥＭＢＥＲＳ
      "\u00A0Members\u00A0", // non-breaking spaces at the ends
      " members ",
      "MEMBERS",
    ]) {
      expect(isViewNameTaken(typed, []), JSON.stringify(typed)).toBe(true);
    }
    expect(isViewNameTaken("Non\u2011converting", [])).toBe(false); // a non-breaking hyphen is another character
  });

  it("reads one name however its spaces, ligatures and accents were typed", () => {
    expect(viewNameKey("Big  spenders")).toBe("big spenders");
    expect(viewNameKey("Big\u00A0spenders")).toBe("big spenders");
    expect(viewNameKey("Big \t spenders ")).toBe("big spenders");
    expect(viewNameKey("\uFB01rst buyers")).toBe("first buyers"); // ﬁ ligature
    expect(viewNameKey("Cafe\u0301")).toBe(viewNameKey("Caf\u00E9")); // decomposed é, composed é
    expect(viewNameKey("ÉTÉ")).toBe("été");
    expect(isViewNameTaken("First  buyers", ["\uFB01rst buyers"])).toBe(true);
    expect(isViewNameTaken("Café", ["Cafe\u0301"])).toBe(true);
  });

  it("keeps apart names a merchant reads as different", () => {
    expect(viewNameKey("Cafe")).not.toBe(viewNameKey("Café"));
    expect(viewNameKey("Bigspenders")).not.toBe(viewNameKey("Big spenders"));
    expect(isViewNameTaken("Member", [])).toBe(false);
  });
});
