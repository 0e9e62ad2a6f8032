import { fileURLToPath } from "node:url";

/** Absolute path of the bundled spec as YAML (Node only). */
export const openapiYamlPath = fileURLToPath(new URL("./openapi.yaml", import.meta.url));

/** Absolute path of the bundled spec as JSON (Node only). */
export const openapiJsonPath = fileURLToPath(new URL("./openapi.json", import.meta.url));

/** Absolute path of the OpenAPI 3.0 rendition as YAML, for 3.0-only tools (Node only). */
export const openapi30YamlPath = fileURLToPath(new URL("./openapi.3.0.yaml", import.meta.url));

/** Absolute path of the OpenAPI 3.0 rendition as JSON, for 3.0-only tools (Node only). */
export const openapi30JsonPath = fileURLToPath(new URL("./openapi.3.0.json", import.meta.url));
