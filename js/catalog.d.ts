// `datafast-wasm/catalog`: every endpoint of the API as data, each endpoint's input as a
// JSON Schema (2020-12). Generated from the contract crate's registry and parameter table.

/** A JSON Schema; `x-kind` names what a property holds in the contract's terms. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  enum?: readonly (string | number)[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  dependentRequired?: Record<string, string[]>;
  dependentSchemas?: Record<string, JsonSchema>;
  /**
   * `text`, `enum`, `boolean`, `integer`, `amount`, `date`, `goalName`, `metadata`,
   * `filters`, `fields`, `values`, `permissions`, `objectIds`, `strings`, `color`,
   * `funnelSteps`, `object`, or a string format: `objectId`, `uuid`, `email`, `currency`,
   * `timezone`, `hostname`, `transactionId`, `userId`, `stripeRestrictedKey`, `paddleApiKey`,
   * `credential`.
   */
  'x-kind'?: string;
  /** Properties in the parameter table's order (JSON objects do not keep it). */
  'x-propertyOrder'?: string[];
  /** `null` is a value that clears the field. */
  'x-nullable'?: boolean;
  /** The values of a `fields` list. */
  'x-values'?: string[];
  /** Display names of `enum` values (goal colors). */
  'x-labels'?: string[];
}

export interface CatalogGroup {
  /** The docs' group (`breakdowns`, `website-keys`). */
  id: string;
  title: string;
  surface: 'website' | 'admin';
}

export interface CatalogEndpoint {
  /** Registry id, as `client.request` and the CLI's `datafast api` take it. */
  id: string;
  /** Method path within its client (`funnels.create`), before camel-casing. */
  methodPath: string;
  /** The method as JS names it (`analytics.operatingSystems`). */
  jsMethodPath: string;
  group: string;
  /** The endpoint's docs page, where it has one of its own. */
  docs: string | null;
  surface: 'website' | 'admin';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below `apiPrefix`, placeholders in braces. */
  path: string;
  permission: string;
  tokens: ('df_' | 'dft_')[];
  result: 'one' | 'list' | 'page' | 'envelope' | 'bare';
  /** Where the parameters go. */
  input: 'query' | 'body' | 'none';
  /** Path placeholders in path order: the leading positional arguments of the method. */
  pathParams: { name: string; schema: JsonSchema }[];
  /** The parameter object's schema. */
  params: JsonSchema;
}

export interface Catalog {
  apiPrefix: string;
  defaultBaseUrl: string;
  groups: CatalogGroup[];
  endpoints: CatalogEndpoint[];
}

export declare const catalog: Catalog;
export default catalog;
