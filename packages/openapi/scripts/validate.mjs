// A second, independent OpenAPI validator: checks the spec against the official OpenAPI 3.1
// JSON Schema (with its JSON Schema 2020-12 dialect), so that a fault Redocly's rules miss
// still fails the test command.
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";

const specPath = fileURLToPath(new URL("../../../spec/openapi.yaml", import.meta.url));
const validator = new Validator();
const result = await validator.validate(specPath);
if (!result.valid) {
  console.error(`spec/openapi.yaml is not a valid OpenAPI ${validator.version} document:`);
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
console.log(
  `spec/openapi.yaml: valid OpenAPI ${validator.version} (@seriousme/openapi-schema-validator)`,
);
