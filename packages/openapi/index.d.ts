/** Absolute path of the bundled spec as YAML (Node only). */
export declare const openapiYamlPath: string;

/** Absolute path of the bundled spec as JSON (Node only). */
export declare const openapiJsonPath: string;
