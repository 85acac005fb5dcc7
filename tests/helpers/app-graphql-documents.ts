import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(name) ? [file] : [];
  });
}

/**
 * Every `#graphql`-tagged operation in app/, with where it stands ("file: OperationName"), as it is sent: each
 * `${FRAGMENT}` it interpolates replaced by that constant's `#graphql` fragment from the same file. Fragments alone are
 * not listed; they are checked inside the operations that spread them.
 */
export function appGraphqlDocuments(dir = "app"): { where: string; source: string }[] {
  return sourceFiles(dir).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const constants = new Map(
      [...text.matchAll(/const (\w+) = `(#graphql[\s\S]*?)`/g)].map((match) => [match[1]!, match[2]!] as const),
    );
    const interpolated = (source: string) =>
      source.replace(/\$\{(\w+)\}/g, (whole, name: string) => constants.get(name) ?? whole);
    return [...text.matchAll(/`(#graphql[\s\S]*?)`/g)]
      .map((match) => interpolated(match[1]!))
      .filter((source) => !/^#graphql\s*fragment\b/.test(source))
      .map((source) => ({
        where: `${file}: ${/(query|mutation)\s+(\w+)/.exec(source)?.[2] ?? "anonymous"}`,
        source,
      }));
  });
}
