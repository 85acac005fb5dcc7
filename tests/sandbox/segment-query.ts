/**
 * A subset of Shopify's segment query language (shopify.dev/docs/api/shopifyql/segment-query-language-reference):
 * clauses `<attribute> <operator> <value>` joined by AND / OR (AND binds first) and grouped with parentheses.
 *
 *   customer_tags CONTAINS 'vip' AND (number_of_orders >= 3 OR amount_spent >= 100)
 *   email_subscription_status = 'SUBSCRIBED'
 *   customer_added_date > -30d        last_order_date BETWEEN 2024-01-01 AND 2024-06-30        last_order_date IS NULL
 *
 * Attributes and the operators each takes are listed in ATTRIBUTES; anything else is refused with Shopify's
 * "Line 1 Column N: ..." message, so a query the sandbox cannot judge is never silently wrong.
 */

type AttributeKind = "integer" | "float" | "date" | "enum" | "string" | "list";

const OPERATORS: Record<AttributeKind, readonly string[]> = {
  integer: ["=", "!=", ">", ">=", "<", "<=", "BETWEEN"],
  float: ["=", "!=", ">", ">=", "<", "<=", "BETWEEN"],
  date: ["=", "!=", ">", ">=", "<", "<=", "BETWEEN", "IS NULL", "IS NOT NULL"],
  enum: ["=", "!="],
  string: ["=", "!="],
  list: ["CONTAINS", "NOT CONTAINS"],
};

const MARKETING_STATES = ["SUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "UNSUBSCRIBED", "INVALID", "REDACTED"];

/** What a clause reads off one customer; the evaluator supplies it (segments.ts). */
export interface SegmentFacts {
  amountSpent: number;
  numberOfOrders: number;
  tags: string[];
  emailSubscriptionStatus: string;
  smsSubscriptionStatus: string;
  accountStatus: string;
  emailDomain: string | null;
  countries: string[];
  addedAt: string;
  firstOrderAt: () => string | null;
  lastOrderAt: () => string | null;
}

const ATTRIBUTES: Record<
  string,
  { kind: AttributeKind; values?: readonly string[]; read: (f: SegmentFacts) => unknown }
> = {
  amount_spent: { kind: "float", read: (f) => f.amountSpent },
  number_of_orders: { kind: "integer", read: (f) => f.numberOfOrders },
  customer_tags: { kind: "list", read: (f) => f.tags },
  email_subscription_status: { kind: "enum", values: MARKETING_STATES, read: (f) => f.emailSubscriptionStatus },
  sms_subscription_status: { kind: "enum", values: MARKETING_STATES, read: (f) => f.smsSubscriptionStatus },
  customer_account_status: {
    kind: "enum",
    values: ["ENABLED", "DISABLED", "INVITED", "DECLINED"],
    read: (f) => f.accountStatus,
  },
  customer_email_domain: { kind: "string", read: (f) => f.emailDomain },
  customer_countries: { kind: "list", read: (f) => f.countries },
  customer_added_date: { kind: "date", read: (f) => f.addedAt },
  first_order_date: { kind: "date", read: (f) => f.firstOrderAt() },
  last_order_date: { kind: "date", read: (f) => f.lastOrderAt() },
};

export const SEGMENT_ATTRIBUTES = Object.keys(ATTRIBUTES);

type Value = { kind: "string"; text: string } | { kind: "number"; value: number } | { kind: "date"; day: DayRef };
type DayRef = { absolute: string } | { relativeDays: number };

export type SegmentExpression =
  | { type: "and" | "or"; left: SegmentExpression; right: SegmentExpression }
  | { type: "clause"; attribute: string; operator: string; values: Value[] };

export class SegmentQueryError extends Error {}

interface Token {
  text: string;
  column: number;
  quoted?: boolean;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(>=|<=|!=|=|>|<|\(|\))|([^\s()=<>!']+))/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < query.length && (match = pattern.exec(query))) {
    const column = match.index + (match[0].length - match[0].trimStart().length);
    if (match[1] !== undefined || match[2] !== undefined)
      tokens.push({ text: (match[1] ?? match[2]!).replace(/\\(.)/g, "$1"), column, quoted: true });
    else tokens.push({ text: match[3] ?? match[4]!, column });
    position = pattern.lastIndex;
  }
  if (query.slice(position).trim()) throw failure(position, `unexpected '${query.slice(position).trim()}'`);
  return tokens;
}

const failure = (column: number, message: string) => new SegmentQueryError(`Line 1 Column ${column}: ${message}`);

/** Parses a segment query; throws SegmentQueryError with Shopify's line and column wording. */
export function parseSegmentQuery(query: string): SegmentExpression {
  if (!query.trim()) throw new SegmentQueryError("Query can't be blank");
  const tokens = tokenize(query);
  let at = 0;
  const peek = () => tokens[at];
  const end = () => (tokens.at(-1) ? tokens.at(-1)!.column + tokens.at(-1)!.text.length : 0);
  const keyword = (word: string) => peek()?.quoted !== true && peek()?.text.toUpperCase() === word;

  const orExpression = (): SegmentExpression => {
    let left = andExpression();
    while (keyword("OR")) {
      at++;
      left = { type: "or", left, right: andExpression() };
    }
    return left;
  };
  const andExpression = (): SegmentExpression => {
    let left = primary();
    while (keyword("AND")) {
      at++;
      left = { type: "and", left, right: primary() };
    }
    return left;
  };
  const primary = (): SegmentExpression => {
    const token = peek();
    if (!token) throw failure(end(), "a filter is expected");
    if (token.text === "(" && !token.quoted) {
      at++;
      const inner = orExpression();
      if (peek()?.text !== ")") throw failure(peek()?.column ?? end(), "')' is expected");
      at++;
      return inner;
    }
    return clause();
  };
  const clause = (): SegmentExpression => {
    const name = tokens[at++]!;
    const attribute = ATTRIBUTES[name.text];
    if (name.quoted || !attribute) throw failure(name.column, `'${name.text}' filter cannot be found.`);
    const operatorToken = peek();
    if (!operatorToken) throw failure(end(), `an operator is expected after '${name.text}'`);
    let operator = operatorToken.text.toUpperCase();
    at++;
    if (operator === "NOT" && keyword("CONTAINS")) {
      at++;
      operator = "NOT CONTAINS";
    } else if (operator === "IS") {
      if (keyword("NOT")) {
        at++;
        operator = "IS NOT";
      }
      if (!keyword("NULL")) throw failure(peek()?.column ?? end(), "'NULL' is expected");
      at++;
      operator = `${operator} NULL`;
    }
    if (!OPERATORS[attribute.kind].includes(operator))
      throw failure(operatorToken.column, `'${operator}' is not a valid operator for '${name.text}'.`);
    if (operator.endsWith("NULL")) return { type: "clause", attribute: name.text, operator, values: [] };
    const values = [value(name.text)];
    if (operator === "BETWEEN") {
      if (!keyword("AND")) throw failure(peek()?.column ?? end(), "BETWEEN needs two values joined by AND");
      at++;
      values.push(value(name.text));
    }
    return { type: "clause", attribute: name.text, operator, values };
  };
  const value = (attributeName: string): Value => {
    const token = tokens[at++];
    if (!token) throw failure(end(), `a value is expected for '${attributeName}'`);
    const attribute = ATTRIBUTES[attributeName]!;
    const invalid = () => failure(token.column, `'${token.text}' is not a valid value for '${attributeName}'.`);
    switch (attribute.kind) {
      case "integer":
      case "float": {
        if (token.quoted || !/^-?\d+(\.\d+)?$/.test(token.text)) throw invalid();
        if (attribute.kind === "integer" && token.text.includes(".")) throw invalid();
        return { kind: "number", value: Number(token.text) };
      }
      case "date": {
        const text = token.text.toLowerCase();
        if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)))
          return { kind: "date", day: { absolute: text } };
        const relative = /^-(\d+)([dwmy])$/.exec(text);
        if (relative) {
          const n = Number(relative[1]);
          const days = { d: 1, w: 7, m: 30, y: 365 }[relative[2] as "d" | "w" | "m" | "y"] * n;
          return { kind: "date", day: { relativeDays: -days } };
        }
        if (text === "today") return { kind: "date", day: { relativeDays: 0 } };
        if (text === "yesterday") return { kind: "date", day: { relativeDays: -1 } };
        throw invalid();
      }
      case "enum": {
        if (!token.quoted || !attribute.values!.includes(token.text.toUpperCase())) throw invalid();
        return { kind: "string", text: token.text.toUpperCase() };
      }
      default:
        if (!token.quoted) throw invalid();
        return { kind: "string", text: token.text };
    }
  };

  const expression = orExpression();
  if (at < tokens.length) throw failure(tokens[at]!.column, `unexpected '${tokens[at]!.text}'`);
  return expression;
}

const DAY = 86_400_000;

/**
 * The calendar day an instant falls on in the shop's time zone, as the start of that day in ms on a UTC calendar
 * (so days compare as numbers): Shopify's help, "Date values are based on whole days and depend on your store's time
 * zone".
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function localDay(ms: number, timeZone: string): number {
  let parts = dayFormats.get(timeZone);
  if (!parts) {
    parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, parts);
  }
  const field = Object.fromEntries(parts.formatToParts(ms).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(field.year!, field.month! - 1, field.day!);
}

/** The day a date value names (an absolute day, or today's in the shop's zone moved by whole days). */
function dayStart(day: DayRef, nowMs: number, timeZone: string): number {
  if ("absolute" in day) return Date.parse(`${day.absolute}T00:00:00Z`);
  return localDay(nowMs, timeZone) + day.relativeDays * DAY;
}

function compare(actual: number, operator: string, wanted: number, upper?: number): boolean {
  switch (operator) {
    case "=":
      return actual === wanted;
    case "!=":
      return actual !== wanted;
    case ">":
      return actual > wanted;
    case ">=":
      return actual >= wanted;
    case "<":
      return actual < wanted;
    case "<=":
      return actual <= wanted;
    case "BETWEEN":
      return actual >= wanted && actual <= upper!;
    default:
      return false;
  }
}

/** Whether one customer's facts satisfy the query; dates compare by whole days of the shop's time zone. */
export function matchesSegment(
  expression: SegmentExpression,
  facts: SegmentFacts,
  nowMs: number,
  timeZone = "UTC",
): boolean {
  if (expression.type !== "clause") {
    const left = matchesSegment(expression.left, facts, nowMs, timeZone);
    if (expression.type === "and" ? !left : left) return left;
    return matchesSegment(expression.right, facts, nowMs, timeZone);
  }
  const attribute = ATTRIBUTES[expression.attribute]!;
  const actual = attribute.read(facts);
  const { operator, values } = expression;
  switch (attribute.kind) {
    case "integer":
    case "float": {
      const [low, high] = values as { kind: "number"; value: number }[];
      return compare(actual as number, operator, low!.value, high?.value);
    }
    case "date": {
      if (operator === "IS NULL") return actual === null;
      if (operator === "IS NOT NULL") return actual !== null;
      if (actual === null) return false;
      const day = localDay(Date.parse(actual as string), timeZone);
      const [low, high] = (values as { kind: "date"; day: DayRef }[]).map((v) => dayStart(v.day, nowMs, timeZone));
      return compare(day, operator, low!, high);
    }
    case "enum":
    case "string": {
      const wanted = (values[0] as { text: string }).text.toLowerCase();
      const equal = ((actual as string | null) ?? "").toLowerCase() === wanted;
      return operator === "=" ? equal : !equal;
    }
    case "list": {
      const wanted = (values[0] as { text: string }).text.toLowerCase();
      const has = (actual as string[]).some((item) => item.toLowerCase() === wanted);
      return operator === "CONTAINS" ? has : !has;
    }
  }
}
