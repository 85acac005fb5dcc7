/**
 * JSON.parse, except that integers too large for a JS number (Shopify's 18-digit ids) come back as exact digit
 * strings instead of silently rounded numbers. Strings are skipped while scanning, so digits inside text are untouched.
 */
export function parseLosslessJson(raw: string): unknown {
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === "\\" ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "-" || (ch >= "0" && ch <= "9")) {
      let j = i + 1;
      while (j < raw.length && /[0-9.eE+-]/.test(raw[j]!)) j++;
      const literal = raw.slice(i, j);
      out += /^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal)) ? `"${literal}"` : literal;
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out);
}
