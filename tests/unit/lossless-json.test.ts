import { describe, expect, it } from "vitest";
import { parseLosslessJson } from "~/shopify/webhooks/lossless-json";

describe("parseLosslessJson", () => {
  it("keeps 18-digit ids exact where JSON.parse rounds them", () => {
    const raw = '{"id":820982911946154508,"order_id":820982911946154508,"ids":[890088186047892319]}';
    expect(JSON.parse(raw).id).toBe(820982911946154500);
    expect(parseLosslessJson(raw)).toEqual({
      id: "820982911946154508",
      order_id: "820982911946154508",
      ids: ["890088186047892319"],
    });
  });

  it("leaves safe numbers, decimals and digits inside strings alone", () => {
    const raw = '{"n":42,"price":"19.99","x":-1.5e3,"note":"call 820982911946154508, \\"quoted\\"","ok":true}';
    expect(parseLosslessJson(raw)).toEqual({
      n: 42,
      price: "19.99",
      x: -1500,
      note: 'call 820982911946154508, "quoted"',
      ok: true,
    });
  });

  it("keeps a long digit run inside a string as written, even where it looks like a number after a comma", () => {
    const raw = '{"id":820982911946154508,"note":"codes:820982911946154508,x","list":[1,2]}';
    expect(parseLosslessJson(raw)).toEqual({
      id: "820982911946154508",
      note: "codes:820982911946154508,x",
      list: [1, 2],
    });
  });

  it("rejects malformed JSON like JSON.parse does", () => {
    expect(() => parseLosslessJson('{"id": 1')).toThrow(SyntaxError);
  });
});
