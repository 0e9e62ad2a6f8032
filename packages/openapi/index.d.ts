/** Absolute path of the bundled spec as YAML (Node only). */
export declare const openapiYamlPath: string;

/** Absolute path of the bundled spec as JSON (Node only). */
export declare const openapiJsonPath: string;

/** Absolute path of the OpenAPI 3.0 rendition as YAML, for 3.0-only tools (Node only). */
export declare const openapi30YamlPath: string;

/** Absolute path of the OpenAPI 3.0 rendition as JSON, for 3.0-only tools (Node only). */
export declare const openapi30JsonPath: string;
