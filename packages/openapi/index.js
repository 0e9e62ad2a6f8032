import { fileURLToPath } from "node:url";

/** Absolute path of the bundled spec as YAML (Node only). */
export const openapiYamlPath = fileURLToPath(new URL("./openapi.yaml", import.meta.url));

/** Absolute path of the bundled spec as JSON (Node only). */
export const openapiJsonPath = fileURLToPath(new URL("./openapi.json", import.meta.url));
