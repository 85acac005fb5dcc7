import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(name) ? [file] : [];
  });
}

/** Every `#graphql`-tagged template literal in app/, with where it stands ("file: OperationName"). */
export function appGraphqlDocuments(dir = "app"): { where: string; source: string }[] {
  return sourceFiles(dir).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/`(#graphql[\s\S]*?)`/g)].map((match) => ({
      where: `${file}: ${/(query|mutation)\s+(\w+)/.exec(match[1]!)?.[2] ?? "anonymous"}`,
      source: match[1]!,
    })),
  );
}
