import { resourceId, resourceIndex } from "../ids";
import { DAY, pick, rand, STREAM, type SeedPlan } from "./seed";

export type CustomerState = "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";

export interface AddressRecord {
  id: string;
  firstName: string;
  lastName: string;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCode: string;
  zip: string;
  phone: string | null;
  company: string | null;
}

export interface CustomerRecord {
  index: number;
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  state: CustomerState;
  note: string | null;
  verifiedEmail: boolean;
  taxExempt: boolean;
  /**
   * The customer's language (Admin API `Customer.locale`): the storefront locale they signed up in, or one set by
   * customerUpdate; unset means the shop's primary locale, "en".
   */
  locale?: string;
  tags: string[];
  marketing: {
    state: MarketingState;
    optInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | null;
    updatedAt: string | null;
  };
  /** SMS marketing consent; Shopify shows it only for a customer with a phone number. */
  sms?: {
    state: MarketingState;
    optInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | null;
    updatedAt: string | null;
  };
  address: AddressRecord | null;
  createdAt: string;
  updatedAt: string;
}

const FIRST = [
  "Ada",
  "Bob",
  "Chloé",
  "Dev",
  "Emeka",
  "Fatima",
  "Giulia",
  "Hiro",
  "Ines",
  "Jonas",
  "Kai",
  "Leila",
  "Mateo",
  "Noor",
  "Olga",
  "Priya",
  "Quinn",
  "Rafael",
  "Sofia",
  "Tomás",
  "Uma",
  "Viktor",
  "Wen",
  "Yusuf",
  "Zoë",
];
const LAST = [
  "Okafor",
  "Biller",
  "Nguyen",
  "Schmidt",
  "García",
  "Kowalski",
  "Tanaka",
  "Rossi",
  "Dubois",
  "Haddad",
  "Larsen",
  "Moreau",
  "Singh",
  "Cohen",
  "Silva",
  "Murphy",
  "Ivanova",
  "Park",
  "Novak",
  "Ali",
];
const CITIES = [
  { city: "Ottawa", province: "Ontario", provinceCode: "ON", zip: "K2P 2L8" },
  { city: "Montréal", province: "Quebec", provinceCode: "QC", zip: "H2X 1Y4" },
  { city: "Vancouver", province: "British Columbia", provinceCode: "BC", zip: "V6B 1A1" },
  { city: "Halifax", province: "Nova Scotia", provinceCode: "NS", zip: "B3H 1X1" },
];

/**
 * A shop's customers. Seeded ones are virtual (recomputed from the seed plan on read) until something changes them;
 * then the changed copy lives in `overrides`. Created customers are overrides from the start.
 */
export class CustomerTable {
  readonly overrides = new Map<number, CustomerRecord>();
  readonly deleted = new Set<number>();
  private count = 0;
  /** Emails (lower case) and phones of changed and created customers, so a lookup never scans them either. */
  private readonly byEmail = new Map<string, number>();
  private readonly byPhone = new Map<string, number>();

  constructor(
    private readonly shopNumber: number,
    private readonly plan: () => SeedPlan,
  ) {}

  /** Makes room for the plan's seeded customers; called once, by ShopStore.seed. */
  seeded(count: number) {
    this.count = count;
  }

  get slots() {
    return this.count;
  }

  find(index: number): CustomerRecord | undefined {
    if (index < 0 || index >= this.count || this.deleted.has(index)) return undefined;
    return this.overrides.get(index) ?? this.seededCustomer(index);
  }

  findById(id: string) {
    const index = resourceIndex("Customer", this.shopNumber, id);
    return index === undefined ? undefined : this.find(index);
  }

  /**
   * Changed and created customers are all in the overrides; an untouched seeded customer's email names its index
   * (`first.last.{index}@example.com`), so a lookup never scans a million generated records.
   */
  findByEmail(email: string): CustomerRecord | undefined {
    const wanted = email.toLowerCase();
    const known = this.byEmail.get(wanted);
    if (known !== undefined) return this.find(known);
    const seeded = /\.(\d+)@example\.com$/.exec(wanted);
    const index = seeded ? Number(seeded[1]) : -1;
    if (index < 0 || index >= this.plan().customers || this.overrides.has(index)) return undefined;
    const c = this.find(index);
    return c?.email?.toLowerCase() === wanted ? c : undefined;
  }

  /** A customer by phone in E.164 (`+16135550101`); seeded phones name their index, as seeded emails do. */
  findByPhone(phone: string): CustomerRecord | undefined {
    const known = this.byPhone.get(phone);
    if (known !== undefined) return this.find(known);
    const seeded = /^\+1613(\d{7})$/.exec(phone);
    if (!seeded) return undefined;
    for (let index = Number(seeded[1]) - 5_000_000; index >= 0 && index < this.plan().customers; index += 5_000_000) {
      if (this.overrides.has(index)) continue;
      const c = this.find(index);
      if (c?.phone === phone) return c;
    }
    return undefined;
  }

  *scan(fromIndex = 0, reverse = false): Generator<CustomerRecord> {
    if (reverse) {
      for (let i = Math.min(fromIndex, this.count - 1); i >= 0; i--) {
        const c = this.find(i);
        if (c) yield c;
      }
      return;
    }
    for (let i = fromIndex; i < this.count; i++) {
      const c = this.find(i);
      if (c) yield c;
    }
  }

  add(fields: Partial<Omit<CustomerRecord, "index" | "id">>, now: string): CustomerRecord {
    const index = this.count++;
    const record: CustomerRecord = {
      index,
      id: resourceId("Customer", this.shopNumber, index),
      firstName: null,
      lastName: null,
      email: null,
      phone: null,
      state: "DISABLED",
      note: null,
      verifiedEmail: true,
      taxExempt: false,
      tags: [],
      marketing: { state: "NOT_SUBSCRIBED", optInLevel: null, updatedAt: null },
      address: null,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.keep(record);
    return record;
  }

  /** Stores a changed or new customer and keeps the email and phone indexes right. */
  private keep(record: CustomerRecord) {
    const before = this.overrides.get(record.index);
    if (before?.email) this.byEmail.delete(before.email.toLowerCase());
    if (before?.phone) this.byPhone.delete(before.phone);
    this.overrides.set(record.index, record);
    if (record.email) this.byEmail.set(record.email.toLowerCase(), record.index);
    if (record.phone) this.byPhone.set(record.phone, record.index);
  }

  /** Applies a change to a customer and bumps updatedAt, returning the new copy. */
  update(index: number, change: (c: CustomerRecord) => void, now: string): CustomerRecord {
    const current = this.find(index);
    if (!current) throw new Error(`No customer ${index}`);
    const copy = structuredClone(current);
    change(copy);
    copy.updatedAt = now;
    this.keep(copy);
    return copy;
  }

  /** Puts a customer back as it was (a change refused after it was applied). */
  restore(record: CustomerRecord) {
    this.keep(record);
  }

  delete(index: number) {
    const before = this.overrides.get(index);
    if (before?.email) this.byEmail.delete(before.email.toLowerCase());
    if (before?.phone) this.byPhone.delete(before.phone);
    this.deleted.add(index);
    this.overrides.delete(index);
  }

  private seededCustomer(i: number): CustomerRecord {
    const { seed, startMs, endMs, customers } = this.plan();
    if (i >= customers) throw new Error(`Customer ${i} is not seeded`);
    const r = (salt: number) => rand(seed, STREAM.customers, i, salt);
    const firstName = pick(FIRST, r(1));
    const lastName = pick(LAST, r(2));
    const roll = r(3);
    const state: CustomerState =
      roll < 0.6 ? "ENABLED" : roll < 0.9 ? "DISABLED" : roll < 0.98 ? "INVITED" : "DECLINED";
    const createdMs = startMs + Math.floor(((endMs - startMs - DAY) * i) / Math.max(customers, 1));
    const updatedMs = Math.min(endMs - 1000, createdMs + Math.floor(r(4) * 60 * DAY));
    const subscribed = r(5) < 0.4;
    const tags: string[] = [];
    if (r(6) < 0.1) tags.push("vip");
    if (r(7) < 0.05) tags.push("wholesale");
    const hasAddress = r(8) < 0.7;
    const place = pick(CITIES, r(9));
    const id = resourceId("Customer", this.shopNumber, i);
    const phone = r(10) < 0.3 ? `+1613${String(5_000_000 + (i % 5_000_000)).padStart(7, "0")}` : null;
    return {
      index: i,
      id,
      firstName,
      lastName,
      email: `${ascii(firstName)}.${ascii(lastName)}.${i}@example.com`,
      phone,
      state,
      note: null,
      verifiedEmail: state === "ENABLED",
      taxExempt: r(11) < 0.03,
      // A fifth shop in French (the demo store publishes /fr): their emails link there (decision 051).
      ...(r(13) < 0.2 ? { locale: "fr" } : {}),
      tags,
      marketing: subscribed
        ? { state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", updatedAt: new Date(createdMs).toISOString() }
        : { state: "NOT_SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", updatedAt: null },
      ...(phone
        ? { sms: { state: "NOT_SUBSCRIBED" as const, optInLevel: "SINGLE_OPT_IN" as const, updatedAt: null } }
        : {}),
      address: hasAddress
        ? {
            id: resourceId("MailingAddress", this.shopNumber, i),
            firstName,
            lastName,
            address1: `${1 + Math.floor(r(12) * 999)} O'Connor Street`,
            address2: null,
            city: place.city,
            province: place.province,
            provinceCode: place.provinceCode,
            country: "Canada",
            countryCode: "CA",
            zip: place.zip,
            phone,
            company: null,
          }
        : null,
      createdAt: new Date(createdMs).toISOString(),
      updatedAt: new Date(updatedMs).toISOString(),
    };
  }
}

function ascii(name: string) {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}
