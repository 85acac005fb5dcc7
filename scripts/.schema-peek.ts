import { adminSchema } from "../tests/sandbox/graphql/schema";
import { isInputObjectType, isObjectType, isEnumType, isUnionType, isInterfaceType } from "graphql";
const s = adminSchema();
for (const name of process.argv.slice(2)) {
  const t = s.getType(name);
  if (!t) { const f = s.getMutationType()!.getFields()[name] ?? s.getQueryType()!.getFields()[name]; if (f) { console.log(`field ${name}(${f.args.map(a=>`${a.name}: ${a.type}`).join(", ")}): ${f.type}${f.deprecationReason ? " DEPRECATED "+f.deprecationReason : ""}`); } else console.log("?", name); continue; }
  if (isEnumType(t)) console.log(`enum ${name}: ${t.getValues().map(v=>v.name + (v.deprecationReason?"(dep)":"")).join(" ")}`);
  else if (isUnionType(t)) console.log(`union ${name}: ${t.getTypes().map(x=>x.name).join(" | ")}`);
  else if (isInputObjectType(t) || isObjectType(t) || isInterfaceType(t)) {
    console.log(`${isInputObjectType(t)?"input":"type"} ${name} {`);
    for (const f of Object.values(t.getFields())) console.log(`  ${f.name}${"args" in f && f.args.length ? "(" + f.args.map(a=>a.name+": "+a.type).join(", ") + ")" : ""}: ${f.type}${f.deprecationReason ? "  DEPRECATED" : ""}`);
    console.log("}");
  }
}
