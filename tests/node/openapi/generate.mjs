// Types for Partpilot's API from its OpenAPI document with openapi-typescript's Node API, file fields (format:
// binary) as Blob the way openapi-typescript's docs show, then tsc checks a client's use of them (check.ts).
// Usage: node generate.mjs <openapi.json> <out-dir>   (run by tests/test_openapi_clients.py)
import fs from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [schemaPath, outDir] = process.argv.slice(2);
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

const ast = await openapiTS(new URL(`file://${path.resolve(schemaPath)}`), {
  transform(schemaObject) {
    if (schemaObject.format === "binary") {
      return schemaObject.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    }
    return undefined;
  },
});
fs.writeFileSync(path.join(outDir, "api.d.ts"), astToString(ast));
fs.copyFileSync(new URL("./check.ts", import.meta.url), path.join(outDir, "check.ts"));

const program = ts.createProgram([path.join(outDir, "check.ts")], {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true,
});
const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("ok");
